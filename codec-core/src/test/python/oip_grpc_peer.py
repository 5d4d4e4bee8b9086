#!/usr/bin/python3
"""An Open Inference Protocol (KServe v2) peer over gRPC, on Debian's python3-grpcio, with the
message classes compiled from FrameCodec's own codec-core/src/main/proto/oip_v2.proto at start
by python3-grpc-tools (into a temporary directory): so the test checks that the .proto we wrote
from the specification's field numbers is understood by another implementation.

    oip_grpc_peer.py serve --model face_detection_front_128x128_dynbatch.onnx [--port 0] [--name detector]
            [--max-message-bytes N]
    oip_grpc_peer.py infer --target 127.0.0.1:8001 [--name detector] [--mode ycbcr] a.jpg b.jpg ...
    oip_grpc_peer.py infer-typed --target ... a.jpg       (the JPEGs in contents.bytes_contents)

serve: a gRPC server on 127.0.0.1 that prints "PORT <n>" once it listens and serves until stdin
closes; the detector model of oip_peer.py (input "images" BYTES [N] in raw_input_contents, each
element a 4-byte little-endian length then the JPEG; outputs in raw_output_contents). Errors are
gRPC statuses: NOT_FOUND for an unknown model, INVALID_ARGUMENT for a bad request.

infer: sends the files as one BYTES tensor in raw_input_contents, parses raw_output_contents and
prints {"model_name", "outputs": {name: {"datatype", "shape", "data"}}}; a gRPC error prints
{"code": "...", "details": "..."} and exits 1.
"""
import argparse
import json
import os
import struct
import sys
import tempfile
from concurrent import futures

import numpy as np

PROTO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "proto", "oip_v2.proto")
K = 100
NUMPY = {"BOOL": np.bool_, "UINT8": np.uint8, "INT32": np.int32, "INT64": np.int64, "FP32": np.float32,
         "FP64": np.float64}


def compile_proto():
    """Compiles oip_v2.proto with grpc_tools.protoc and imports the generated modules."""
    from grpc_tools import protoc

    out = tempfile.mkdtemp(prefix="oip-proto-")
    proto = os.path.abspath(PROTO)
    rc = protoc.main(["protoc", "-I" + os.path.dirname(proto), "--python_out=" + out, "--grpc_python_out=" + out, proto])
    if rc != 0:
        raise SystemExit("protoc failed on %s (exit %d)" % (proto, rc))
    sys.path.insert(0, out)
    import oip_v2_pb2
    import oip_v2_pb2_grpc
    return oip_v2_pb2, oip_v2_pb2_grpc


def serialize_bytes(elements):
    return b"".join(struct.pack("<I", len(e)) + bytes(e) for e in elements)


def deserialize_bytes(data, count):
    out, pos = [], 0
    for i in range(count):
        if pos + 4 > len(data):
            raise ValueError("no room for the length of BYTES element %d" % i)
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4
        if n > len(data) - pos:
            raise ValueError("BYTES element %d of %d bytes runs past the tensor" % (i, n))
        out.append(bytes(data[pos:pos + n]))
        pos += n
    if pos != len(data):
        raise ValueError("%d bytes left after %d BYTES elements" % (len(data) - pos, count))
    return out


def serve(args):
    import cv2
    import grpc
    from peer_server import BlazeFace, decode_recipe

    pb, pb_grpc = compile_proto()
    cv2.setNumThreads(args.threads)
    detector = BlazeFace(args.model)

    class Service(pb_grpc.GRPCInferenceServiceServicer):
        def ServerLive(self, request, context):
            return pb.ServerLiveResponse(live=True)

        def ServerReady(self, request, context):
            return pb.ServerReadyResponse(ready=True)

        def ModelReady(self, request, context):
            return pb.ModelReadyResponse(ready=request.name == args.name)

        def ModelMetadata(self, request, context):
            if request.name != args.name:
                context.abort(grpc.StatusCode.NOT_FOUND, "unknown model '%s'" % request.name)
            T = pb.ModelMetadataResponse.TensorMetadata
            return pb.ModelMetadataResponse(
                name=args.name, platform="onnx_onnxv1",
                inputs=[T(name="images", datatype="BYTES", shape=[-1])],
                outputs=[T(name="detections", datatype="BYTES", shape=[-1]),
                         T(name="boxes", datatype="FP32", shape=[-1, K, 4]),
                         T(name="scores", datatype="FP32", shape=[-1, K]),
                         T(name="classes", datatype="INT32", shape=[-1, K]),
                         T(name="counts", datatype="INT32", shape=[-1])])

        def ModelInfer(self, request, context):
            if request.model_name != args.name:
                context.abort(grpc.StatusCode.NOT_FOUND, "unknown model '%s'; this server has '%s'"
                              % (request.model_name, args.name))
            if len(request.inputs) != 1 or request.inputs[0].name != "images" or request.inputs[0].datatype != "BYTES":
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "the detector takes one input 'images', BYTES [N]")
            t = request.inputs[0]
            count = t.shape[0] if len(t.shape) == 1 else -1
            try:
                if request.raw_input_contents:
                    if t.HasField("contents"):
                        raise ValueError("raw_input_contents given, so contents must be empty")
                    jpegs = deserialize_bytes(request.raw_input_contents[0], count)
                else:
                    jpegs = list(t.contents.bytes_contents)
                    if len(jpegs) != count:
                        raise ValueError("%d elements for shape %s" % (len(jpegs), list(t.shape)))
            except ValueError as e:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
            mode = t.parameters["jpeg_mode"].string_param if "jpeg_mode" in t.parameters else "ycbcr"
            images = []
            for i, jpg in enumerate(jpegs):
                img = decode_recipe(jpg, mode)
                if img is None:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "images element %d is not a JPEG" % i)
                images.append(img)
            dets = detector.detect(images) if images else []
            n = len(dets)
            boxes = np.zeros((n, K, 4), "<f4")
            scores = np.zeros((n, K), "<f4")
            classes = np.full((n, K), -1, "<i4")
            counts = np.zeros((n,), "<i4")
            for i, frame in enumerate(dets):
                counts[i] = min(len(frame), K)
                for j, d in enumerate(frame[:K]):
                    boxes[i, j], scores[i, j], classes[i, j] = d["box"], d["score"], d["class"]
            produced = {
                "detections": ("BYTES", [n], serialize_bytes(json.dumps({"frames": [f]}).encode() for f in dets)),
                "boxes": ("FP32", [n, K, 4], boxes.tobytes()), "scores": ("FP32", [n, K], scores.tobytes()),
                "classes": ("INT32", [n, K], classes.tobytes()), "counts": ("INT32", [n], counts.tobytes())}
            names = [o.name for o in request.outputs] or list(produced)
            resp = pb.ModelInferResponse(model_name=args.name, id=request.id)
            for name in names:
                if name not in produced:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "unknown output '%s'" % name)
                dtype, shape, raw = produced[name]
                resp.outputs.add(name=name, datatype=dtype, shape=shape)
                resp.raw_output_contents.append(raw)
            return resp

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2),
                         options=[("grpc.max_receive_message_length", args.max_message_bytes),
                                  ("grpc.max_send_message_length", args.max_message_bytes)])
    pb_grpc.add_GRPCInferenceServiceServicer_to_server(Service(), server)
    port = server.add_insecure_port("127.0.0.1:%d" % args.port)
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin (or dies)
    server.stop(1)


def infer(args, typed):
    import grpc

    pb, pb_grpc = compile_proto()
    jpegs = []
    for path in args.files:
        with open(path, "rb") as f:
            jpegs.append(f.read())
    req = pb.ModelInferRequest(model_name=args.name, id="py-1")
    t = req.inputs.add(name="images", datatype="BYTES", shape=[len(jpegs)])
    t.parameters["jpeg_mode"].string_param = args.mode
    if typed:
        t.contents.bytes_contents.extend(jpegs)
    else:
        req.raw_input_contents.append(serialize_bytes(jpegs))
    for o in [o for o in args.outputs.split(",") if o]:
        req.outputs.add(name=o)
    channel = grpc.insecure_channel(args.target, options=[("grpc.max_receive_message_length", 64 << 20),
                                                          ("grpc.max_send_message_length", 1 << 30)])
    stub = pb_grpc.GRPCInferenceServiceStub(channel)
    try:
        resp = stub.ModelInfer(req, timeout=args.timeout)
    except grpc.RpcError as e:
        print(json.dumps({"code": e.code().name, "details": e.details()}))
        return 1
    out = {}
    for i, o in enumerate(resp.outputs):
        raw = resp.raw_output_contents[i]
        count = int(np.prod(o.shape)) if len(o.shape) else 1
        if o.datatype == "BYTES":
            data = [v.decode("utf-8") for v in deserialize_bytes(raw, count)]
        else:
            data = np.frombuffer(raw, dtype=np.dtype(NUMPY[o.datatype]).newbyteorder("<")).tolist()
            if len(data) != count:
                raise SystemExit("output %s: %d elements for shape %s" % (o.name, len(data), list(o.shape)))
        out[o.name] = {"datatype": o.datatype, "shape": list(o.shape), "data": data}
    print(json.dumps({"model_name": resp.model_name, "id": resp.id, "outputs": out}))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--model", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--name", default="detector")
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--max-message-bytes", type=int, default=64 << 20)
    for cmd in ("infer", "infer-typed"):
        c = sub.add_parser(cmd)
        c.add_argument("--target", required=True)
        c.add_argument("--name", default="detector")
        c.add_argument("--mode", default="ycbcr")
        c.add_argument("--outputs", default="")
        c.add_argument("--timeout", type=float, default=60)
        c.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.cmd == "serve":
        serve(args)
    else:
        sys.exit(infer(args, args.cmd == "infer-typed"))


if __name__ == "__main__":
    main()
