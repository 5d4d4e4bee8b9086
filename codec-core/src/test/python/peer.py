#!/usr/bin/python3
"""The Python peer of the source document, for interop tests: the "YUV" JPEG recipe with
Debian's python3-opencv. Frames travel as raw C-order uint8 files plus a shape, so this script
needs nothing but numpy and cv2.

  peer.py encode RAW H W QUALITY OUT_B64      BGR frame -> BGR2YUV -> imencode -> base64 text
  peer.py decode B64 OUT_RAW                  base64 text -> imdecode -> YUV2BGR -> raw BGR (prints H W)
  peer.py decode-json JSON OUT_RAW            like decode, taking the "data" field of a JSON envelope
  peer.py versions                            prints the cv2 and libjpeg versions in use
"""
import base64
import json
import sys

import cv2
import numpy as np


def encode(bgr, quality):
    yuv = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV)
    ok, buf = cv2.imencode(".jpg", yuv, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise SystemExit("imencode failed")
    return base64.b64encode(buf.tobytes()).decode()


def decode(text):
    data = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    yuv = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if yuv is None:
        raise SystemExit("imdecode failed")
    return cv2.cvtColor(yuv, cv2.COLOR_YUV2BGR)


def main(argv):
    cmd = argv[1]
    if cmd == "encode":
        raw, h, w, q, out = argv[2], int(argv[3]), int(argv[4]), int(argv[5]), argv[6]
        bgr = np.fromfile(raw, dtype=np.uint8).reshape(h, w, 3)
        with open(out, "w", encoding="ascii") as f:
            f.write(encode(bgr, q))
    elif cmd in ("decode", "decode-json"):
        with open(argv[2], encoding="utf-8") as f:
            text = f.read()
        if cmd == "decode-json":
            text = json.loads(text)["data"]
        bgr = decode(text)
        bgr.tofile(argv[3])
        print(bgr.shape[0], bgr.shape[1])
    elif cmd == "versions":
        info = cv2.getBuildInformation()
        jpeg = [l.strip() for l in info.splitlines() if "JPEG:" in l]
        print(cv2.__version__, jpeg[0] if jpeg else "unknown")
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
