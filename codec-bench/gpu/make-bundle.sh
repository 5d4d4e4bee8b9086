#!/usr/bin/env bash
# Builds gpu-bundle/ (git-ignored) at the repository root: everything the GPU machine needs to run
# the detector report, since it has no Java and no Maven. Carry it with the device tool
# (carry: ["gpu-bundle"]) and run codec-bench/gpu/run-on-gpu.sh there.
#
#   jre.tar.xz     jlink runtime: java.base, java.logging, jdk.unsupported (what JavaCPP needs), jdk.jfr
#                  (to profile a run there: JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=filename=$OUT/x.jfr)
#   lib/           codec-core, codec-bench classes, jackson-core, javacpp, opencv and openblas classes
#   natives.tar.xz the linux-x86_64-gpu OpenCV natives cut to core/imgproc/dnn, and libopenblas with
#                  its runtime libraries and JNI library; unpacked there into a classpath folder
# xz rather than jars or gzip: the carried tree (this bundle plus the repository) must stay
# under 64 MiB.
#   data/        PrepareGpuData's cv2-yuv q80 JPEGs (throughput/, faceset/, composites/) and the
#                BlazeFace front and back models (dynamic batch) as front.onnx and back.onnx
#   anchor/      ../shared/anchors/gpu_decode_anchor.py, the Python + torchvision/OpenCV anchor,
#                run in the same session as the report
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=$root/gpu-bundle
m2=${M2_REPO:-$HOME/.m2/repository}
ocv=4.13.0-1.5.13

mvn -B -q package -DskipTests
mvn -B -q dependency:get -Dartifact=org.bytedeco:opencv:$ocv:jar:linux-x86_64-gpu
rm -rf "$out" && mkdir -p "$out/lib" "$out/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jlink --add-modules java.base,java.logging,jdk.unsupported,jdk.jfr --strip-debug --no-header-files \
  --no-man-pages --compress=2 --output "$work/jre"
tar cJf "$out/jre.tar.xz" -C "$work" jre

# The library jar only: the build also makes -sources and -javadoc jars beside it.
cp "$(ls codec-core/target/codec-core-*.jar | grep -v -e -sources -e -javadoc -e -tests)" "$out/lib/codec-core.jar"
# Classes only: the bundled 3 MB frame stays home (the carried tree is limited to 64 MiB).
jar cf "$out/lib/codec-bench-classes.jar" -C codec-bench/target/classes org
mvn -B -q -pl codec-core dependency:build-classpath -Dmdep.outputFile="$work/cp"
tr ':' '\n' < "$work/cp" | grep -E '/jackson-core-[^/]*\.jar$' | xargs -I{} cp {} "$out/lib/"
cp "$m2/org/bytedeco/javacpp/1.5.13/javacpp-1.5.13.jar" "$out/lib/"
cp "$m2/org/bytedeco/opencv/$ocv/opencv-$ocv.jar" "$out/lib/"
cp "$m2/org/bytedeco/openblas/0.3.31-1.5.13/openblas-0.3.31-1.5.13.jar" "$out/lib/"
cuda=13.1-9.19-1.5.13
cp "$m2/org/bytedeco/cuda/$cuda/cuda-$cuda.jar" "$out/lib/"

gpu=org/bytedeco/opencv/linux-x86_64-gpu
blas=org/bytedeco/openblas/linux-x86_64
mkdir -p "$work/natives"
(cd "$work/natives" && unzip -q "$m2/org/bytedeco/opencv/$ocv/opencv-$ocv-linux-x86_64-gpu.jar" \
  "$gpu/libopencv_core.so.413" "$gpu/libopencv_imgproc.so.413" "$gpu/libopencv_dnn.so.413" \
  "$gpu/libjniopencv_core.so" "$gpu/libjniopencv_imgproc.so" "$gpu/libjniopencv_dnn.so")
(cd "$work/natives" && unzip -q "$m2/org/bytedeco/openblas/0.3.31-1.5.13/openblas-0.3.31-1.5.13-linux-x86_64.jar" \
  "$blas/libopenblas.so.0" "$blas/libgfortran.so.5" "$blas/libquadmath.so.0" "$blas/libgcc_s.so.1" \
  "$blas/libjniopenblas.so" "$blas/libjniopenblas_nolapack.so" "$blas/libjniopenblas_full.so")
# nvJPEG, the CUDA runtime and NVRTC: JNI glue only; the libraries are the machine's CUDA 13.
cudanat=org/bytedeco/cuda/linux-x86_64
(cd "$work/natives" && unzip -q "$m2/org/bytedeco/cuda/$cuda/cuda-$cuda-linux-x86_64.jar" \
  "$cudanat/libjnicudart.so" "$cudanat/libjninvjpeg.so" "$cudanat/libjninvrtc.so")
# JavaCPP makes this link itself only when it extracts natives from a jar, not from a folder.
ln -s libopenblas.so.0 "$work/natives/$blas/libopenblas_nolapack.so.0"
tar cJf "$out/natives.tar.xz" -C "$work/natives" org

models=codec-core/src/test/resources/models/blazeface
cp "$models/face_detection_front_128x128_dynbatch.onnx" "$out/data/front.onnx"
cp "$models/face_detection_back_256x256_dynbatch.onnx" "$out/data/back.onnx"
# Payloads as JPEG, so the runtime needs no java.desktop (ImageIO).
java -cp codec-bench/target/codec-bench.jar org.framecodec.bench.detect.PrepareGpuData "$out/data" \
  codec-core/src/test/resources/org/framecodec/detect/astronaut-512.png codec-core/src/test/resources/corpus
mkdir -p "$out/anchor"
cp "$root/../shared/anchors/gpu_decode_anchor.py" "$out/anchor/"
du -sh "$out" "$out"/* "$out"/lib/*
