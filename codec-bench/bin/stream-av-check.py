#!/usr/bin/env python3
"""Compares an annotated output with its input, with ffprobe: video frame count and timestamps,
audio packet count and timestamps, the first audio-vs-video offset of each, and the drift of
that offset over the run (how far the output's audio moved against its video, compared with the
input). Used for the 10-minute run in docs/streaming.md.

    stream-av-check.py INPUT OUTPUT
"""
import subprocess
import sys


def packets(path, stream):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", stream + ":0", "-show_entries",
                          "packet=pts_time", "-of", "csv=p=0", path],
                         check=True, capture_output=True, text=True).stdout
    return [round(float(x.strip().rstrip(",")) * 1e6) for x in out.split() if x.strip().rstrip(",") not in ("", "N/A")]


def main(inp, outp):
    iv, ov = sorted(packets(inp, "v")), sorted(packets(outp, "v"))
    ia, oa = packets(inp, "a"), packets(outp, "a")
    frame = (iv[-1] - iv[0]) / (len(iv) - 1)
    print(f"video frames: input {len(iv)}, output {len(ov)}")
    same = len(iv) == len(ov) and all(abs(a - b) <= 20 for a, b in zip(iv, ov))
    print(f"video pts equal within 20 us: {same}; max difference {max((abs(a - b) for a, b in zip(iv, ov)), default=0)} us")
    fo = packets(outp, "v")
    print(f"output video pts increasing in file order: {all(b > a for a, b in zip(fo, fo[1:]))}")
    print(f"audio packets: input {len(ia)}, output {len(oa)}")
    if not ia or not oa:
        print("no audio to compare")
        return
    start_in, start_out = ia[0] - iv[0], oa[0] - ov[0]
    end_in, end_out = ia[-1] - iv[-1], oa[-1] - ov[-1]
    drift = (end_out - start_out) - (end_in - start_in)
    print(f"first audio - first video pts: input {start_in} us, output {start_out} us")
    print(f"last audio - last video pts: input {end_in} us, output {end_out} us")
    print(f"drift over {(iv[-1] - iv[0]) / 1e6:.1f} s: {drift} us (frame period {frame:.0f} us)")
    worst = max((abs(a - b) for a, b in zip(ia, oa)), default=0)
    print(f"audio packet pts equal: {len(ia) == len(oa)}; max difference {worst} us")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
