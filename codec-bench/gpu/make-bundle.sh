#!/usr/bin/env bash
# Builds gpu-bundle/ (git-ignored) at the repository root: everything the GPU machine needs to run
# the detector report, since it has no Java and no Maven. Carry it with the device tool
# (carry: ["gpu-bundle"]) and run codec-bench/gpu/run-on-gpu.sh there.
#
#   jre.tar.xz     jlink runtime: java.base, java.logging, jdk.unsupported (what JavaCPP needs)
#   lib/           codec-core, codec-bench classes, jackson-core, javacpp, opencv and openblas classes
#   natives.tar.xz the linux-x86_64-gpu OpenCV natives cut to core/imgproc/dnn, and libopenblas with
#                  its runtime libraries and JNI library; unpacked there into a classpath folder
# xz rather than jars or gzip: the carried tree (this bundle plus the repository) must stay
# under 64 MiB.
#   data/        astronaut-512.npy for agreement, cv2-yuv q80 JPEGs of the three 1080p photographs
#   model.onnx   BlazeFace front, dynamic batch
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

jlink --add-modules java.base,java.logging,jdk.unsupported --strip-debug --no-header-files \
  --no-man-pages --compress=2 --output "$work/jre"
tar cJf "$out/jre.tar.xz" -C "$work" jre

# The library jar only: the build also makes -sources and -javadoc jars beside it.
cp "$(ls codec-core/target/codec-core-*.jar | grep -v -e -sources -e -javadoc)" "$out/lib/codec-core.jar"
# Classes only: the bundled 3 MB frame stays home (the carried tree is limited to 64 MiB).
jar cf "$out/lib/codec-bench-classes.jar" -C codec-bench/target/classes org
mvn -B -q -pl codec-core dependency:build-classpath -Dmdep.outputFile="$work/cp"
tr ':' '\n' < "$work/cp" | grep -E '/jackson-core-[^/]*\.jar$' | xargs -I{} cp {} "$out/lib/"
cp "$m2/org/bytedeco/javacpp/1.5.13/javacpp-1.5.13.jar" "$out/lib/"
cp "$m2/org/bytedeco/opencv/$ocv/opencv-$ocv.jar" "$out/lib/"
cp "$m2/org/bytedeco/openblas/0.3.31-1.5.13/openblas-0.3.31-1.5.13.jar" "$out/lib/"

gpu=org/bytedeco/opencv/linux-x86_64-gpu
blas=org/bytedeco/openblas/linux-x86_64
mkdir -p "$work/natives"
(cd "$work/natives" && unzip -q "$m2/org/bytedeco/opencv/$ocv/opencv-$ocv-linux-x86_64-gpu.jar" \
  "$gpu/libopencv_core.so.413" "$gpu/libopencv_imgproc.so.413" "$gpu/libopencv_dnn.so.413" \
  "$gpu/libjniopencv_core.so" "$gpu/libjniopencv_imgproc.so" "$gpu/libjniopencv_dnn.so")
(cd "$work/natives" && unzip -q "$m2/org/bytedeco/openblas/0.3.31-1.5.13/openblas-0.3.31-1.5.13-linux-x86_64.jar" \
  "$blas/libopenblas.so.0" "$blas/libgfortran.so.5" "$blas/libquadmath.so.0" "$blas/libgcc_s.so.1" \
  "$blas/libjniopenblas.so" "$blas/libjniopenblas_nolapack.so" "$blas/libjniopenblas_full.so")
# JavaCPP makes this link itself only when it extracts natives from a jar, not from a folder.
ln -s libopenblas.so.0 "$work/natives/$blas/libopenblas_nolapack.so.0"
tar cJf "$out/natives.tar.xz" -C "$work/natives" org

cp codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx "$out/model.onnx"
# Test images as .npy and payloads as JPEG, so the runtime needs no java.desktop (ImageIO).
java -cp codec-bench/target/codec-bench.jar org.framecodec.bench.detect.PrepareGpuData "$out/data" \
  codec-core/src/test/resources/org/framecodec/detect/astronaut-512.png codec-core/src/test/resources/corpus
du -sh "$out" "$out"/* "$out"/lib/*
