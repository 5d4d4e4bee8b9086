#!/usr/bin/python3
"""The Python inference peer of the source document, as an HTTP service: a Flask app that takes
frames at POST /detect, decodes them exactly as the source recipe does, runs BlazeFace with
OpenCV DNN and answers with the detections document of docs/transport.md.

    /usr/bin/python3 peer_server.py --model face_detection_front_128x128_dynbatch.onnx [--port 0]

It binds 127.0.0.1 only, prints "PORT <n>" on stdout once it listens (port 0 picks a free one),
and serves until stdin closes or it is killed, so a parent process that dies takes it along.

Bodies:
  application/json         one envelope {"shape", "mode", "data", ...} or {"frames": [...]};
                           each "data" is base64 -> imdecode(IMREAD_COLOR) -> cvtColor(YUV2BGR)
                           for mode cv2-yuv, the source recipe's decode, byte for byte
  application/octet-stream our raw container (docs/wire-format.md): struct '>' fields, CRC-32C
                           checked with crcmod's C extension (python3-crcmod)
Answer: {"frames": [[{"box": [x1, y1, x2, y2], "score": s, "class": 0, "keypoints": [[x, y]...]}]]}
Errors: 400 with one line of text for a bad body, 415 for an unknown content type or mode.

Detection replicates org.framecodec.detect (BlazeFaceHead, Letterbox, Nms): letterbox into the
square input (scale min(S/w, S/h), size rounded half up, centred, black padding, bilinear),
BGR -> RGB, v / 127.5 - 1, NHWC; anchors 16x16 x2 then 8x8 x6 at cell centres, regressors in
input pixels; score sigmoid(clamp(logit, +-100)) >= 0.5; greedy NMS at IoU > 0.3; at most 100;
boxes mapped back through the letterbox and clipped to the frame, keypoints mapped only.
"""
import argparse
import base64
import binascii
import json
import math
import struct
import sys
import threading

import cv2
import numpy as np
from crcmod.predefined import mkPredefinedCrcFun
from flask import Flask, Response, request
from werkzeug.serving import make_server

from blazeface_reference import anchors, iou  # one definition of the anchors, beside this file

MAGIC = b"\x89FCR"
MODES = {1: "cv2-yuv", 2: "ycbcr", 3: "gray"}
crc32c = mkPredefinedCrcFun("crc-32c")
MAX_BODY = 512 << 20
MAX_FRAMES = 1024


class BadRequest(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def decode_recipe(jpg, mode):
    """The source recipe: bytes -> imdecode(IMREAD_COLOR) -> YUV2BGR (cv2-yuv); BGR out."""
    data = np.frombuffer(jpg, dtype=np.uint8)
    if mode == "gray":
        img = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
        return None if img is None else cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    img = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if img is None:
        return None
    return cv2.cvtColor(img, cv2.COLOR_YUV2BGR) if mode == "cv2-yuv" else img


def frames_from_json(body):
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise BadRequest(400, "not JSON: %s" % e)
    envs = doc["frames"] if isinstance(doc, dict) and "frames" in doc else [doc]
    if not isinstance(envs, list) or len(envs) > MAX_FRAMES:
        raise BadRequest(400, "\"frames\" must be a list of at most %d envelopes" % MAX_FRAMES)
    out = []
    for i, env in enumerate(envs):
        if not isinstance(env, dict) or not isinstance(env.get("data"), str):
            raise BadRequest(400, "frame %d has no \"data\" string" % i)
        mode = str(env.get("mode", "cv2-yuv")).lower()
        if mode not in MODES.values():
            raise BadRequest(415, "frame %d: unknown mode %r" % (i, mode))
        try:
            jpg = base64.b64decode(env["data"])  # the recipe's call: non-strict, as the peer does
        except (binascii.Error, ValueError) as e:
            raise BadRequest(400, "frame %d: bad base64: %s" % (i, e))
        out.append((jpg, mode))
    return out


def frames_from_raw(body):
    n = len(body)
    if n < 14 or body[:4] != MAGIC:
        raise BadRequest(400, "not a raw container (magic %r)" % bytes(body[:4]))
    (crc,) = struct.unpack_from(">I", body, n - 4)
    actual = crc32c(body[: n - 4])
    if crc != actual:
        raise BadRequest(400, "CRC-32C mismatch: stored %08x, computed %08x" % (crc, actual))
    version, flags, count = struct.unpack_from(">BBI", body, 4)
    if version != 1 or flags != 0:
        raise BadRequest(415, "container version %d flags %d not supported" % (version, flags))
    if count > MAX_FRAMES:
        raise BadRequest(400, "frame count %d over %d" % (count, MAX_FRAMES))
    pos, out = 10, []
    for i in range(count):
        if pos + 25 > n - 4:
            raise BadRequest(400, "frame %d header runs past the end" % i)
        w, h, ch, mode, q, fl, ts, slen = struct.unpack_from(">IIBBBBqB", body, pos)
        if fl & ~0x03:
            raise BadRequest(415, "frame %d: flags 0x%02x not supported" % (i, fl))
        # Bit 1: an 8-byte frame number follows the stream id.
        pos += 21 + slen + (8 if fl & 0x02 else 0)
        if pos + 4 > n - 4 or mode not in MODES:
            raise BadRequest(400, "frame %d: bad header (mode %d)" % (i, mode))
        (plen,) = struct.unpack_from(">I", body, pos)
        pos += 4
        if plen < 1 or pos + plen > n - 4:
            raise BadRequest(400, "frame %d: payload length %d runs past the end" % (i, plen))
        out.append((bytes(body[pos:pos + plen]), MODES[mode]))
        pos += plen
    if pos != n - 4:
        raise BadRequest(400, "%d stray bytes before the CRC" % (n - 4 - pos))
    return out


class BlazeFace:
    def __init__(self, model, min_score=0.5, iou_threshold=0.3, max_detections=100, max_batch=64):
        self.net = cv2.dnn.readNetFromONNX(model)
        self.size = 256 if "256" in model else 128
        self.anchors = anchors(self.size).astype(np.float32)
        self.names = self.net.getUnconnectedOutLayersNames()
        self.min_score, self.iou, self.max = min_score, iou_threshold, max_detections
        self.max_batch = max_batch
        self.lock = threading.Lock()  # one network, used by one request at a time

    def letterbox(self, bgr):
        s = self.size
        h, w = bgr.shape[:2]
        scale = min(s / w, s / h)
        # Java's Math.round: half up, not Python's half to even.
        rw = int(min(s, max(1, math.floor(w * scale + 0.5))))
        rh = int(min(s, max(1, math.floor(h * scale + 0.5))))
        px, py = (s - rw) // 2, (s - rh) // 2
        canvas = np.zeros((s, s, 3), dtype=np.uint8)
        canvas[py:py + rh, px:px + rw] = cv2.resize(bgr, (rw, rh), interpolation=cv2.INTER_LINEAR)
        x = cv2.cvtColor(canvas, cv2.COLOR_BGR2RGB).astype(np.float32) / np.float32(127.5) - np.float32(1.0)
        return x, (px, py, rw / w, rh / h)

    def detect(self, images):
        results = []
        for start in range(0, len(images), self.max_batch):
            chunk = images[start:start + self.max_batch]
            boxes = [self.letterbox(img) for img in chunk]
            blob = np.stack([b[0] for b in boxes])
            with self.lock:
                self.net.setInput(blob)
                outs = self.net.forward(self.names)
            scores = sorted([o for o in outs if o.shape[-1] == 1], key=lambda a: -a.shape[1])
            regs = sorted([o for o in outs if o.shape[-1] == 16], key=lambda a: -a.shape[1])
            scores = np.concatenate(scores, axis=1)[:, :, 0]
            regs = np.concatenate(regs, axis=1)
            for i, img in enumerate(chunk):
                results.append(self.decode(scores[i], regs[i], boxes[i][1], img.shape[1], img.shape[0]))
        return results

    def decode(self, logits, regs, lb, fw, fh):
        px, py, sx, sy = lb
        prob = 1.0 / (1.0 + np.exp(-np.clip(logits.astype(np.float64), -100, 100)))
        cands = []
        for i in np.argsort(-prob, kind="stable"):
            if prob[i] < self.min_score:
                break
            r = regs[i].astype(np.float64)
            ax, ay = self.anchors[i]
            cx, cy, bw, bh = ax + r[0], ay + r[1], max(r[2], 0.0), max(r[3], 0.0)
            box = [(cx - bw / 2 - px) / sx, (cy - bh / 2 - py) / sy,
                   (cx + bw / 2 - px) / sx, (cy + bh / 2 - py) / sy]
            x1, y1 = min(max(box[0], 0.0), fw), min(max(box[1], 0.0), fh)
            box = [x1, y1, max(x1, min(max(box[2], 0.0), fw)), max(y1, min(max(box[3], 0.0), fh))]
            kps = [[(ax + r[4 + 2 * k] - px) / sx, (ay + r[5 + 2 * k] - py) / sy] for k in range(6)]
            cands.append({"box": box, "score": float(prob[i]), "class": 0, "keypoints": kps})
        kept = []
        for c in cands:
            if all(iou(c["box"], k["box"]) <= self.iou for k in kept):
                kept.append(c)
                if len(kept) == self.max:
                    break
        return kept


def make_app(detector):
    app = Flask("framecodec-peer")

    @app.post("/detect")
    def detect():
        body = request.get_data(cache=False)
        ctype = (request.content_type or "").split(";")[0].strip().lower()
        try:
            if len(body) > MAX_BODY:
                raise BadRequest(413, "body of %d bytes over %d" % (len(body), MAX_BODY))
            if ctype == "application/json":
                items = frames_from_json(body)
            elif ctype == "application/octet-stream":
                items = frames_from_raw(body)
            else:
                raise BadRequest(415, "content type %r not handled" % ctype)
            images = []
            for i, (jpg, mode) in enumerate(items):
                img = decode_recipe(jpg, mode)
                if img is None:
                    raise BadRequest(400, "frame %d: imdecode failed" % i)
                images.append(img)
        except BadRequest as e:
            return Response(str(e) + "\n", status=e.status, mimetype="text/plain")
        per_frame = detector.detect(images) if images else []
        return Response(json.dumps({"frames": per_frame}), mimetype="application/json")

    return app


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="OpenCV threads (cv2.setNumThreads)")
    args = ap.parse_args()
    cv2.setNumThreads(args.threads)
    detector = BlazeFace(args.model)
    server = make_server("127.0.0.1", args.port, make_app(detector), threaded=False)
    print("PORT %d" % server.port, flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Serve until the parent closes our stdin (or dies): no orphaned servers after a benchmark.
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
