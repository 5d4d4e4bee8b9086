#!/usr/bin/python3
"""An Open Inference Protocol (KServe v2) peer over REST, written here from the specification
(KServe's required_api.md and Triton's binary tensor data extension), independent of the Java
code, to test FrameCodec's client and server against.

    oip_peer.py serve --model face_detection_front_128x128_dynbatch.onnx [--port 0] [--name detector]
    oip_peer.py infer --url http://127.0.0.1:8000 [--name detector] [--json] [--mode ycbcr]
                      [--outputs detections,boxes] a.jpg b.jpg ...
    oip_peer.py bytes-body a.jpg b.jpg          (prints a request body's header length, then hex)

serve: a Flask app (Debian's python3-flask) on 127.0.0.1 that prints "PORT <n>" once it listens
and serves until stdin closes. It exposes the detector model FrameCodec's receiver exposes:
  GET  /v2/health/live, /v2/health/ready            200, empty body
  GET  /v2/models/<name>[/versions/<v>]              metadata
  GET  /v2/models/<name>[/versions/<v>]/ready        200
  POST /v2/models/<name>[/versions/<v>]/infer        input "images": BYTES [N] of JPEGs (binary
       data, or base64 strings with parameters.content_type = "base64"); parameter "jpeg_mode"
       cv2-yuv | ycbcr | gray (default ycbcr); outputs "detections" (BYTES [N], per frame the
       JSON document {"frames": [[...]]}), "boxes" FP32 [N,K,4], "scores" FP32 [N,K], "classes"
       INT32 [N,K], "counts" INT32 [N]; K = 100. Binary outputs as each output's "binary_data"
       or the request's "binary_data_output" asks.
  errors: {"error": "..."} with 400 (bad body), 404 (unknown model or path), 413 (too large).
Detection is peer_server.py's BlazeFace (OpenCV DNN 4.6, the same pre- and post-processing as
org.framecodec.detect).

infer: sends the JPEG files as one BYTES tensor (binary data, or base64 JSON with --json) to the
server's model, parses the response (binary tail or JSON data) and prints one JSON object:
{"outputs": {name: {"datatype", "shape", "data"}}} with BYTES elements decoded as UTF-8.
"""
import argparse
import base64
import binascii
import json
import struct
import sys
import threading

import numpy as np

HEADER = "Inference-Header-Content-Length"
MAX_BODY = 512 << 20
MAX_ELEMENTS = 1024
K = 100
NUMPY = {"BOOL": np.bool_, "UINT8": np.uint8, "UINT16": np.uint16, "UINT32": np.uint32,
         "UINT64": np.uint64, "INT8": np.int8, "INT16": np.int16, "INT32": np.int32,
         "INT64": np.int64, "FP16": np.float16, "FP32": np.float32, "FP64": np.float64}


class ProtocolError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------- the binary layout

def serialize_bytes(elements):
    """BYTES tensor data: per element a 4-byte little-endian length, then the bytes."""
    return b"".join(struct.pack("<I", len(e)) + bytes(e) for e in elements)


def deserialize_bytes(data, count, where):
    out, pos = [], 0
    for i in range(count):
        if pos + 4 > len(data):
            raise ProtocolError(400, "%s: no room for the length of BYTES element %d" % (where, i))
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4
        if n > len(data) - pos:
            raise ProtocolError(400, "%s: BYTES element %d of %d bytes runs past the tensor" % (where, i, n))
        out.append(bytes(data[pos:pos + n]))
        pos += n
    if pos != len(data):
        raise ProtocolError(400, "%s: %d bytes left after %d BYTES elements" % (where, len(data) - pos, count))
    return out


def element_count(shape, where):
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise ProtocolError(400, "%s: shape must be a list of non-negative integers" % where)
    n = 1
    for d in shape:
        n *= d
    return n


def split_body(body, header_length):
    """The JSON object and the binary tail of a body, as the extension lays them out."""
    if header_length is None:
        return body, b""
    try:
        h = int(header_length)
    except ValueError:
        raise ProtocolError(400, "%s is not an integer" % HEADER)
    if h <= 0 or h > len(body):
        raise ProtocolError(400, "%s %d does not fit a body of %d bytes" % (HEADER, h, len(body)))
    return body[:h], body[h:]


def tensors_from(objs, tail, where_kind):
    """Decodes a list of tensor objects (request inputs or response outputs) with the binary tail."""
    out, pos = [], 0
    for i, t in enumerate(objs):
        if not isinstance(t, dict) or not isinstance(t.get("name"), str):
            raise ProtocolError(400, "%s %d has no name" % (where_kind, i))
        where = "%s '%s'" % (where_kind, t["name"])
        dtype = t.get("datatype")
        if dtype != "BYTES" and dtype not in NUMPY:
            raise ProtocolError(400, "%s: unknown datatype %r" % (where, dtype))
        count = element_count(t.get("shape"), where)
        params = t.get("parameters") or {}
        size = params.get("binary_data_size")
        if size is not None:
            if not isinstance(size, int) or size < 0 or pos + size > len(tail):
                raise ProtocolError(400, "%s: binary_data_size %r runs past the body" % (where, size))
            raw = tail[pos:pos + size]
            pos += size
            if dtype == "BYTES":
                values = deserialize_bytes(raw, count, where)
            else:
                itemsize = np.dtype(NUMPY[dtype]).itemsize
                if len(raw) != count * itemsize:
                    raise ProtocolError(400, "%s: %d bytes for %d elements of %s" % (where, len(raw), count, dtype))
                values = np.frombuffer(raw, dtype=np.dtype(NUMPY[dtype]).newbyteorder("<"))
        else:
            if "data" not in t:
                raise ProtocolError(400, "%s has no data" % where)
            flat = np.array(t["data"], dtype=object).ravel().tolist() if t["data"] else []
            if len(flat) != count:
                raise ProtocolError(400, "%s: %d elements for shape %s" % (where, len(flat), t["shape"]))
            if dtype == "BYTES":
                if params.get("content_type") == "base64":
                    try:
                        values = [base64.b64decode(s, validate=True) for s in flat]
                    except (binascii.Error, TypeError) as e:
                        raise ProtocolError(400, "%s: bad base64: %s" % (where, e))
                else:
                    values = [s.encode("utf-8") for s in flat]
            else:
                values = np.array(flat, dtype=NUMPY[dtype])
        out.append({"name": t["name"], "datatype": dtype, "shape": t["shape"], "parameters": params, "values": values})
    if pos != len(tail):
        raise ProtocolError(400, "the binary_data_size values add up to %d, but %d bytes follow the JSON" % (pos, len(tail)))
    return out


def encode_tensor(name, dtype, shape, values, binary, params=None):
    """A tensor object and its binary data (or b"" when the data goes in the JSON)."""
    obj = {"name": name, "shape": list(shape), "datatype": dtype}
    params = dict(params or {})
    if dtype == "BYTES":
        raw = serialize_bytes(values)
    else:
        raw = np.ascontiguousarray(values, dtype=np.dtype(NUMPY[dtype]).newbyteorder("<")).tobytes()
    if binary:
        params["binary_data_size"] = len(raw)
        obj["parameters"] = params
        return obj, raw
    if params:
        obj["parameters"] = params
    if dtype == "BYTES":
        if params.get("content_type") == "base64":
            obj["data"] = [base64.b64encode(v).decode("ascii") for v in values]
        else:
            obj["data"] = [v.decode("utf-8") for v in values]
    else:
        obj["data"] = np.asarray(values).ravel().tolist()
    return obj, b""


def assemble(obj, tails):
    head = json.dumps(obj, separators=(",", ":")).encode("utf-8")
    tail = b"".join(tails)
    return head + tail, (len(head) if tail else None)


# ---------------------------------------------------------------- the server

def make_app(detector, model_name):
    import cv2
    from flask import Flask, Response, request
    from peer_server import decode_recipe

    app = Flask("oip-peer")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

    def error(status, message):
        return Response(json.dumps({"error": message}), status=status, mimetype="application/json")

    def check_model(name):
        if name != model_name:
            raise ProtocolError(404, "unknown model '%s'; this server has '%s'" % (name, model_name))

    @app.errorhandler(ProtocolError)
    def protocol_error(e):
        return error(e.status, str(e))

    @app.errorhandler(404)
    def not_found(e):
        return error(404, "no such endpoint: %s" % request.path)

    @app.errorhandler(413)
    def too_large(e):
        return error(413, "request body over %d bytes" % MAX_BODY)

    @app.get("/v2/health/live")
    @app.get("/v2/health/ready")
    def health():
        return Response(b"", status=200)

    @app.get("/v2/models/<name>")
    @app.get("/v2/models/<name>/versions/<version>")
    def metadata(name, version=None):
        check_model(name)
        return Response(json.dumps({
            "name": model_name, "platform": "onnx_onnxv1",
            "inputs": [{"name": "images", "datatype": "BYTES", "shape": [-1]}],
            "outputs": [{"name": "detections", "datatype": "BYTES", "shape": [-1]},
                        {"name": "boxes", "datatype": "FP32", "shape": [-1, K, 4]},
                        {"name": "scores", "datatype": "FP32", "shape": [-1, K]},
                        {"name": "classes", "datatype": "INT32", "shape": [-1, K]},
                        {"name": "counts", "datatype": "INT32", "shape": [-1]}]}),
            mimetype="application/json")

    @app.get("/v2/models/<name>/ready")
    @app.get("/v2/models/<name>/versions/<version>/ready")
    def model_ready(name, version=None):
        check_model(name)
        return Response(b"", status=200)

    @app.post("/v2/models/<name>/infer")
    @app.post("/v2/models/<name>/versions/<version>/infer")
    def infer(name, version=None):
        # Read the body before any refusal: werkzeug closes the connection on an unread body,
        # which a client still sending sees as a broken pipe instead of our error.
        body = request.get_data(cache=False)
        check_model(name)
        head, tail = split_body(body, request.headers.get(HEADER))
        try:
            req = json.loads(head)
        except (ValueError, UnicodeDecodeError) as e:
            raise ProtocolError(400, "the inference header is not JSON: %s" % e)
        if not isinstance(req, dict) or not isinstance(req.get("inputs"), list):
            raise ProtocolError(400, "the request has no 'inputs' list")
        inputs = {t["name"]: t for t in tensors_from(req["inputs"], tail, "input")}
        images = inputs.get("images")
        if images is None or images["datatype"] != "BYTES" or len(images["shape"]) != 1:
            raise ProtocolError(400, "the detector takes one input 'images', BYTES [N]")
        if len(images["values"]) > MAX_ELEMENTS:
            raise ProtocolError(413, "%d images over %d" % (len(images["values"]), MAX_ELEMENTS))
        mode = images["parameters"].get("jpeg_mode", "ycbcr")
        if mode not in ("cv2-yuv", "ycbcr", "gray"):
            raise ProtocolError(400, "unknown jpeg_mode %r" % mode)
        bgr = []
        for i, jpg in enumerate(images["values"]):
            img = decode_recipe(jpg, mode)
            if img is None:
                raise ProtocolError(400, "images element %d is not a JPEG OpenCV can decode" % i)
            bgr.append(img)
        dets = detector.detect(bgr) if bgr else []
        n = len(dets)
        boxes = np.zeros((n, K, 4), np.float32)
        scores = np.zeros((n, K), np.float32)
        classes = np.full((n, K), -1, np.int32)
        counts = np.zeros((n,), np.int32)
        for i, frame in enumerate(dets):
            counts[i] = min(len(frame), K)
            for j, d in enumerate(frame[:K]):
                boxes[i, j] = d["box"]
                scores[i, j] = d["score"]
                classes[i, j] = d["class"]
        produced = {
            "detections": ("BYTES", [n], [json.dumps({"frames": [f]}).encode("utf-8") for f in dets]),
            "boxes": ("FP32", [n, K, 4], boxes), "scores": ("FP32", [n, K], scores),
            "classes": ("INT32", [n, K], classes), "counts": ("INT32", [n], counts)}
        wanted = req.get("outputs") or [{"name": o} for o in produced]
        default_binary = bool((req.get("parameters") or {}).get("binary_data_output", False))
        objs, tails = [], []
        for o in wanted:
            if o.get("name") not in produced:
                raise ProtocolError(400, "unknown output %r" % o.get("name"))
            binary = (o.get("parameters") or {}).get("binary_data", default_binary)
            dtype, shape, values = produced[o["name"]]
            obj, raw = encode_tensor(o["name"], dtype, shape, values, binary)
            objs.append(obj)
            tails.append(raw)
        resp = {"model_name": model_name, "outputs": objs}
        if "id" in req:
            resp["id"] = req["id"]
        body, header_length = assemble(resp, tails)
        r = Response(body, mimetype="application/octet-stream" if header_length else "application/json")
        if header_length:
            r.headers[HEADER] = str(header_length)
        return r

    return app


def serve(args):
    import cv2
    from werkzeug.serving import make_server
    from peer_server import BlazeFace

    cv2.setNumThreads(args.threads)
    app = make_app(BlazeFace(args.model), args.name)
    server = make_server("127.0.0.1", args.port, app, threaded=False)
    print("PORT %d" % server.port, flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # serve until the parent closes our stdin (or dies)
    server.shutdown()


# ---------------------------------------------------------------- the client

def request_body(jpegs, binary, mode, outputs):
    params = {"jpeg_mode": mode}
    if not binary:
        params["content_type"] = "base64"
    obj, raw = encode_tensor("images", "BYTES", [len(jpegs)], jpegs, binary, params)
    req = {"inputs": [obj]}
    if outputs:
        req["outputs"] = [{"name": o, "parameters": {"binary_data": binary}} for o in outputs]
    elif binary:
        req["parameters"] = {"binary_data_output": True}
    return assemble(req, [raw])


def infer(args):
    import urllib.request
    import urllib.error

    jpegs = []
    for path in args.files:
        with open(path, "rb") as f:
            jpegs.append(f.read())
    outputs = [o for o in args.outputs.split(",") if o] if args.outputs else []
    body, header_length = request_body(jpegs, not args.json, args.mode, outputs)
    req = urllib.request.Request("%s/v2/models/%s/infer" % (args.url.rstrip("/"), args.name), data=body, method="POST")
    req.add_header("Content-Type", "application/octet-stream" if header_length else "application/json")
    if header_length:
        req.add_header(HEADER, str(header_length))
    try:
        with urllib.request.urlopen(req, timeout=args.timeout) as resp:
            data = resp.read(MAX_BODY + 1)
            header = resp.headers.get(HEADER)
    except urllib.error.HTTPError as e:
        print(json.dumps({"status": e.code, "error": json.loads(e.read() or b"{}").get("error")}))
        return 1
    if len(data) > MAX_BODY:
        raise ProtocolError(413, "response over %d bytes" % MAX_BODY)
    head, tail = split_body(data, header)
    resp = json.loads(head)
    out = {}
    for t in tensors_from(resp.get("outputs", []), tail, "output"):
        values = t["values"]
        if t["datatype"] == "BYTES":
            values = [v.decode("utf-8") for v in values]
        else:
            values = np.asarray(values).tolist()
        out[t["name"]] = {"datatype": t["datatype"], "shape": t["shape"], "data": values}
    print(json.dumps({"model_name": resp.get("model_name"), "outputs": out}))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--model", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--name", default="detector")
    s.add_argument("--threads", type=int, default=1)
    c = sub.add_parser("infer")
    c.add_argument("--url", required=True)
    c.add_argument("--name", default="detector")
    c.add_argument("--json", action="store_true")
    c.add_argument("--mode", default="ycbcr")
    c.add_argument("--outputs", default="")
    c.add_argument("--timeout", type=float, default=60)
    c.add_argument("files", nargs="+")
    b = sub.add_parser("bytes-body")
    b.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.cmd == "serve":
        serve(args)
    elif args.cmd == "infer":
        sys.exit(infer(args))
    else:
        elements = []
        for path in args.files:
            with open(path, "rb") as f:
                elements.append(f.read())
        body, header_length = request_body(elements, True, "ycbcr", ["detections"])
        print(header_length)
        print(body.hex())


if __name__ == "__main__":
    main()
