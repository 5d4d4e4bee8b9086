#!/usr/bin/python3
"""Reference BlazeFace detections, independent of the Java code, for BlazeFaceDetectorTest.

Runs Debian's python3-opencv 4.6 DNN (which, unlike bytedeco OpenCV 4.13, loads the original
batch-1 model files) and decodes the outputs with the anchor layout described in BRIEF.md:
16x16 cells x 2 anchors, then 8x8 cells x 6 anchors, anchor centres at cell centres, regressors
in input pixels relative to the anchor centre. Then score >= 0.5 and greedy NMS at IoU 0.3.

    /usr/bin/python3 codec-core/src/test/python/blazeface_reference.py \
        ../shared/models/blazeface/face_detection_front_128x128.onnx \
        codec-core/src/test/resources/org/framecodec/detect/astronaut-512.png

The image is square, so letterboxing is a plain resize (bilinear, as cv2.resize defaults to).
"""
import json
import sys

import cv2
import numpy as np


def anchors(size):
    """SSD anchor centres of BlazeFace front: 16x16 cells x2 and 8x8 cells x6, at cell centres."""
    out = []
    for cells, per_cell in ((16, 2), (8, 6)):
        for y in range(cells):
            for x in range(cells):
                out.extend([((x + 0.5) / cells * size, (y + 0.5) / cells * size)] * per_cell)
    return np.array(out, dtype=np.float64)


def iou(a, b):
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def main(model, image, min_score=0.5, iou_threshold=0.3):
    net = cv2.dnn.readNetFromONNX(model)
    size = 256 if "256" in model else 128
    img = cv2.imread(image)
    h, w = img.shape[:2]
    assert h == w, "reference script handles square images only"
    x = cv2.resize(img, (size, size), interpolation=cv2.INTER_LINEAR)[:, :, ::-1]
    x = x.astype(np.float32) / 127.5 - 1.0
    net.setInput(x[None])
    names = net.getUnconnectedOutLayersNames()
    outs = net.forward(names)
    scores = [o[0] for o in outs if o.shape[-1] == 1]
    regs = [o[0] for o in outs if o.shape[-1] == 16]
    # Anchor order: the 512-anchor grid first, then the 384-anchor grid.
    scores = np.concatenate(sorted(scores, key=lambda a: -a.shape[0]))[:, 0]
    regs = np.concatenate(sorted(regs, key=lambda a: -a.shape[0]))
    anc = anchors(size)
    prob = 1.0 / (1.0 + np.exp(-np.clip(scores.astype(np.float64), -100, 100)))
    scale = w / size
    cands = []
    for i in np.argsort(-prob, kind="stable"):
        if prob[i] < min_score:
            break
        r = regs[i]
        cx, cy = anc[i] + r[:2]
        box = [(cx - r[2] / 2) * scale, (cy - r[3] / 2) * scale,
               (cx + r[2] / 2) * scale, (cy + r[3] / 2) * scale]
        kps = [[(anc[i][0] + r[4 + 2 * k]) * scale, (anc[i][1] + r[5 + 2 * k]) * scale] for k in range(6)]
        cands.append({"anchor": int(i), "score": float(prob[i]), "box": [float(v) for v in box],
                      "keypoints": [[float(a), float(b)] for a, b in kps]})
    kept = []
    for c in cands:
        if all(iou(c["box"], k["box"]) <= iou_threshold for k in kept):
            kept.append(c)
    print(json.dumps({"opencv": cv2.__version__, "model": model, "image": image,
                      "candidates": len(cands), "detections": kept}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
