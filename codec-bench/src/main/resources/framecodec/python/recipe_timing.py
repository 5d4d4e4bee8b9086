#!/usr/bin/python3
"""Times the source document's Python recipe on one frame, for side-by-side comparison with
FrameCodec in the same run. Prints one JSON object with median milliseconds.

  recipe_timing.py IMAGE QUALITY REPS

encode: BGR -> cvtColor(BGR2YUV) -> imencode(.jpg, q) -> base64.b64encode -> str
decode: str -> base64.b64decode -> imdecode(IMREAD_COLOR) -> cvtColor(YUV2BGR)
"""
import base64
import json
import statistics
import sys
import time

import cv2
import numpy as np


def encode(bgr, q):
    yuv = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV)
    ok, buf = cv2.imencode(".jpg", yuv, [cv2.IMWRITE_JPEG_QUALITY, q])
    return base64.b64encode(buf).decode()


def decode(text):
    data = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_YUV2BGR)


def timed(fn, reps):
    out = []
    for i in range(reps + 3):
        t0 = time.perf_counter()
        fn()
        if i >= 3:
            out.append((time.perf_counter() - t0) * 1000)
    return out


def main():
    path, q, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cv2.setNumThreads(1)
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    text = encode(bgr, q)
    enc = timed(lambda: encode(bgr, q), reps)
    dec = timed(lambda: decode(text), reps)
    print(json.dumps({
        "opencv": cv2.__version__,
        "encode_ms": statistics.median(enc),
        "decode_ms": statistics.median(dec),
        "payload_bytes": len(base64.b64decode(text)),
        "base64_chars": len(text),
    }))


if __name__ == "__main__":
    main()
