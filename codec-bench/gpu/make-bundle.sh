#!/usr/bin/env bash
# Builds gpu-bundle/ (git-ignored) at the repository root: everything the GPU machine needs to run
# the detector report, since it has no Java and no Maven. Carry it with the device tool
# (carry: ["gpu-bundle"]) and run codec-bench/gpu/run-on-gpu.sh there.
#
#   jre.tar.gz   jlink runtime: java.base, java.logging, jdk.unsupported (what JavaCPP needs)
#   lib/         codec-core, codec-bench classes, jackson-core, javacpp, opencv and openblas classes,
#                opencv-gpu-natives.jar (the linux-x86_64-gpu natives cut to core/imgproc/dnn),
#                openblas-natives.jar (libopenblas and its runtime libraries, no headers)
#   data/        astronaut-512.npy for agreement, cv2-yuv q80 JPEGs of the three 1080p photographs
#   model.onnx   BlazeFace front, dynamic batch
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=$root/gpu-bundle
m2=${M2_REPO:-$HOME/.m2/repository}
ocv=4.13.0-1.5.13
blas=0.3.31-1.5.13

mvn -B -q package -DskipTests
mvn -B -q dependency:get -Dartifact=org.bytedeco:opencv:$ocv:jar:linux-x86_64-gpu
rm -rf "$out" && mkdir -p "$out/lib" "$out/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jlink --add-modules java.base,java.logging,jdk.unsupported --strip-debug --no-header-files \
  --no-man-pages --compress=2 --output "$work/jre"
tar czf "$out/jre.tar.gz" -C "$work" jre

cp codec-core/target/codec-core-*.jar "$out/lib/codec-core.jar"
# Classes only: the bundled 3 MB frame stays home (the carried tree is limited to 64 MiB).
jar cf "$out/lib/codec-bench-classes.jar" -C codec-bench/target/classes org
mvn -B -q -pl codec-core dependency:build-classpath -Dmdep.outputFile="$work/cp"
tr ':' '\n' < "$work/cp" | grep -E '/jackson-core-[^/]*\.jar$' | xargs -I{} cp {} "$out/lib/"
cp "$m2/org/bytedeco/javacpp/1.5.13/javacpp-1.5.13.jar" "$out/lib/"
cp "$m2/org/bytedeco/opencv/$ocv/opencv-$ocv.jar" "$out/lib/"
cp "$m2/org/bytedeco/openblas/$blas/openblas-$blas.jar" "$out/lib/"

gpu=org/bytedeco/opencv/linux-x86_64-gpu
(cd "$work" && unzip -q "$m2/org/bytedeco/opencv/$ocv/opencv-$ocv-linux-x86_64-gpu.jar" \
  "$gpu/libopencv_core.so.413" "$gpu/libopencv_imgproc.so.413" "$gpu/libopencv_dnn.so.413" \
  "$gpu/libjniopencv_core.so" "$gpu/libjniopencv_imgproc.so" "$gpu/libjniopencv_dnn.so" \
  && zip -q -r "$out/lib/opencv-gpu-natives.jar" org)
rm -rf "$work/org"
cpu=org/bytedeco/openblas/linux-x86_64
(cd "$work" && unzip -q "$m2/org/bytedeco/openblas/$blas/openblas-$blas-linux-x86_64.jar" \
  "$cpu/libopenblas.so.0" "$cpu/libgfortran.so.5" "$cpu/libquadmath.so.0" "$cpu/libgcc_s.so.1" \
  "$cpu/libjniopenblas_nolapack.so" && zip -q -r "$out/lib/openblas-natives.jar" org)

cp codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx "$out/model.onnx"
# Test images as .npy and payloads as JPEG, so the runtime needs no java.desktop (ImageIO).
java -cp codec-bench/target/codec-bench.jar org.framecodec.bench.detect.PrepareGpuData "$out/data" \
  codec-core/src/test/resources/org/framecodec/detect/astronaut-512.png codec-core/src/test/resources/corpus
du -sh "$out" "$out"/* "$out"/lib/*
