#!/usr/bin/python3
"""What MoveNet MultiPose finds on real footage: vtest.avi's first 60 s (opencv-doc).

    /usr/bin/python3 measure_vtest.py --out-dir /some/scratch/folder [--sizes 256x192,...]

Needs Debian's python3-torch, python3-numpy, python3-opencv and the ffmpeg command; vtest.avi
comes with Debian's opencv-doc.

vtest.avi is 768x576 at 10 fps: pedestrians filmed from above. Only its first 60 s are read
(``ffmpeg -t 60``); the rest is kept for an outside evaluation. Every frame is resized to each
input size (OpenCV area filter, aspect ratio not kept) and run through the .pt in batches.

Writes ``vtest-0-60-<W>x<H>.npz`` per size to --out-dir (frame index, time in s, outputs
(600, 6, 56)) and prints, per size:

1. people per frame (person score >= 0.2 and >= 0.3) over the 600 frames;
2. the detection rate on the 12 frames labelled by hand in vtest_people.csv: a counted person is
   found when the centre of a box with a score over the threshold lies inside that person's box
   (each box finds at most one person, boxes taken in order of score, a box whose centre lies in
   several people's boxes goes to the one whose centre is nearest); a box whose centre lies on
   nobody is a false alarm (boxes on people labelled "not counted", or on someone already found,
   are neither);
3. keypoint errors of the people found (person score >= --person-threshold): per keypoint the
   fraction scored below 0.3, the median score, and the frame-to-frame movement of a keypoint
   of the same person (people matched between consecutive frames by nearest box centre,
   within half a box height, both ways; keypoints scored >= 0.3 in both frames), in pixels of
   the 768x576 frame and as a fraction of the person's box height: raw, and after removing
   the person's own movement (the median movement of its keypoints), which leaves the noise.

``--overlays DIR`` also writes the labelled frames with the hand boxes (green: counted, grey:
not counted) and the boxes found at each size (red, with the person score).
"""

import argparse
import csv
import os
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
W0, H0, FPS, SECONDS = 768, 576, 10, 60
SIZES = ["256x192", "320x256", "384x288", "256x256"]
KEYPOINTS = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
             "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip",
             "left_knee", "right_knee", "left_ankle", "right_ankle"]
KP_THRESHOLD = 0.3


def decode(path: str) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-t", str(SECONDS), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, H0, W0, 3)
    if len(frames) != FPS * SECONDS:
        raise SystemExit("ERROR: %s gave %d frames in its first %d s" % (path, len(frames), SECONDS))
    return frames


def run(pt, frames: np.ndarray, w: int, h: int, batch: int = 8) -> np.ndarray:
    import cv2
    out = []
    with torch.no_grad():
        for i in range(0, len(frames), batch):
            x = np.stack([cv2.resize(f, (w, h), interpolation=cv2.INTER_AREA) for f in frames[i:i + batch]])
            out.append(pt(torch.from_numpy(x)).numpy())
    return np.concatenate(out)


def boxes_px(out: np.ndarray) -> np.ndarray:
    """(..., 6, 56) -> (..., 6, 4) boxes x0, y0, x1, y1 in pixels of the source frame."""
    b = out[..., 51:55]
    return np.stack([b[..., 1] * W0, b[..., 0] * H0, b[..., 3] * W0, b[..., 2] * H0], axis=-1)


def read_labels(path: str) -> dict:
    labels = {}
    with open(path) as f:
        rows = [r for r in f if not r.startswith("#")]
    for r in csv.DictReader(rows):
        labels.setdefault(int(r["frame"]), []).append(
            ([int(r[k]) for k in ("x0", "y0", "x1", "y1")], r["counted"] == "1"))
    return labels


def match_frame(out: np.ndarray, people: list, threshold: float):
    """(found, counted, false alarms) for one frame's (6, 56) output and its labelled people."""
    taken = [False] * len(people)
    found = false_alarms = 0
    boxes = boxes_px(out)
    for p in np.argsort(-out[:, 55], kind="stable"):
        if out[p, 55] < threshold:
            continue
        cx, cy = (boxes[p, 0] + boxes[p, 2]) / 2, (boxes[p, 1] + boxes[p, 3]) / 2
        hits = [i for i, (b, _) in enumerate(people) if b[0] <= cx <= b[2] and b[1] <= cy <= b[3] and not taken[i]]
        if not hits:
            on_someone = any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b, _ in people)
            false_alarms += 0 if on_someone else 1
            continue
        i = min(hits, key=lambda j: ((people[j][0][0] + people[j][0][2]) / 2 - cx) ** 2
                + ((people[j][0][1] + people[j][0][3]) / 2 - cy) ** 2)
        taken[i] = True
        found += 1 if people[i][1] else 0
    return found, sum(1 for _, c in people if c), false_alarms


def keypoint_errors(outs: np.ndarray, person_threshold: float) -> dict:
    kp = outs[:, :, :51].reshape(len(outs), 6, 17, 3)
    score = outs[:, :, 55]
    boxes = boxes_px(outs)
    present = score >= person_threshold
    kscores = kp[..., 2][present]  # (people, 17)
    moves = [[] for _ in range(17)]
    noise = [[] for _ in range(17)]
    rel_moves = [[] for _ in range(17)]
    rel_noise = [[] for _ in range(17)]
    pairs = 0
    for t in range(len(outs) - 1):
        a = [p for p in range(6) if present[t, p]]
        b = [p for p in range(6) if present[t + 1, p]]
        if not a or not b:
            continue
        ca = np.array([[(boxes[t, p, 0] + boxes[t, p, 2]) / 2, (boxes[t, p, 1] + boxes[t, p, 3]) / 2] for p in a])
        cb = np.array([[(boxes[t + 1, p, 0] + boxes[t + 1, p, 2]) / 2,
                        (boxes[t + 1, p, 1] + boxes[t + 1, p, 3]) / 2] for p in b])
        d = np.linalg.norm(ca[:, None, :] - cb[None, :, :], axis=2)
        for i, p in enumerate(a):
            j = int(np.argmin(d[i]))
            if int(np.argmin(d[:, j])) != i:
                continue
            q = b[j]
            height = ((boxes[t, p, 3] - boxes[t, p, 1]) + (boxes[t + 1, q, 3] - boxes[t + 1, q, 1])) / 2
            if height <= 0 or d[i, j] > 0.5 * height:
                continue
            pairs += 1
            ya, xa, sa = kp[t, p, :, 0] * H0, kp[t, p, :, 1] * W0, kp[t, p, :, 2]
            yb, xb, sb = kp[t + 1, q, :, 0] * H0, kp[t + 1, q, :, 1] * W0, kp[t + 1, q, :, 2]
            ok = (sa >= KP_THRESHOLD) & (sb >= KP_THRESHOLD)
            if not ok.any():
                continue
            dy, dx = yb - ya, xb - xa
            my, mx = np.median(dy[ok]), np.median(dx[ok])
            for k in np.nonzero(ok)[0]:
                m = float(np.hypot(dy[k], dx[k]))
                n = float(np.hypot(dy[k] - my, dx[k] - mx))
                moves[k].append(m)
                noise[k].append(n)
                rel_moves[k].append(m / height)
                rel_noise[k].append(n / height)
    return {"people": int(present.sum()), "pairs": pairs, "kscores": kscores, "moves": moves, "noise": noise,
            "rel_moves": rel_moves, "rel_noise": rel_noise}


def q(values, p):
    return float(np.percentile(values, p)) if len(values) else float("nan")


def print_errors(size: str, e: dict, person_threshold: float):
    ks = e["kscores"]
    print("\nkeypoint errors at %s: %d people (score >= %.1f) in 600 frames, %d matched pairs of consecutive frames"
          % (size, e["people"], person_threshold, e["pairs"]))
    print("| keypoint | scored < 0.3 | median score | moves px (median / p90) | noise px (median / p90) "
          "| noise / box height (median / p90) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    rows = list(range(17)) + [None]
    for k in rows:
        if k is None:
            name, s = "all", ks.reshape(-1)
            mv = sum(e["moves"], [])
            nz = sum(e["noise"], [])
            rn = sum(e["rel_noise"], [])
        else:
            name, s, mv, nz, rn = KEYPOINTS[k], ks[:, k], e["moves"][k], e["noise"][k], e["rel_noise"][k]
        print("| %s | %.2f | %.2f | %.1f / %.1f | %.1f / %.1f | %.3f / %.3f |" % (
            name, float((s < KP_THRESHOLD).mean()), float(np.median(s)), q(mv, 50), q(mv, 90), q(nz, 50), q(nz, 90),
            q(rn, 50), q(rn, 90)))


def overlays(folder: str, frames: np.ndarray, labels: dict, results: dict):
    import cv2
    os.makedirs(folder, exist_ok=True)
    for fi, people in sorted(labels.items()):
        img = cv2.cvtColor(frames[fi], cv2.COLOR_RGB2BGR)
        for size, outs in results.items():
            canvas = img.copy()
            for b, counted in people:
                cv2.rectangle(canvas, (b[0], b[1]), (b[2], b[3]), (0, 200, 0) if counted else (160, 160, 160), 1)
            boxes = boxes_px(outs[fi])
            for p in range(6):
                s = outs[fi, p, 55]
                if s < 0.1:
                    continue
                x0, y0, x1, y1 = (int(round(v)) for v in boxes[p])
                cv2.rectangle(canvas, (x0, y0), (x1, y1), (0, 0, 255), 1)
                cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
                cv2.circle(canvas, (cx, cy), 3, (0, 0, 255), -1)
                cv2.putText(canvas, "%.2f" % s, (x0, max(10, y0 - 3)), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 255), 1)
            cv2.putText(canvas, "frame %d, input %s" % (fi, size), (5, 570), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                        (255, 255, 255), 1)
            cv2.imwrite(os.path.join(folder, "vtest-%03d-%s.png" % (fi, size)), canvas)


def main():
    ap = argparse.ArgumentParser(description="MoveNet MultiPose on vtest.avi's first 60 s")
    ap.add_argument("--out-dir", required=True, help="where the raw outputs (npz) go")
    ap.add_argument("--pt", default=os.path.join(HERE, "movenet_multipose_lightning.pt"))
    ap.add_argument("--video", default=VTEST)
    ap.add_argument("--labels", default=os.path.join(HERE, "vtest_people.csv"))
    ap.add_argument("--sizes", default=",".join(SIZES), help="WxH list (default %(default)s)")
    ap.add_argument("--person-threshold", type=float, default=0.2, help="people whose keypoint errors count")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--overlays", help="write the labelled frames with the boxes found here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    frames = decode(args.video)
    pt = torch.jit.load(args.pt)
    labels = read_labels(args.labels)
    os.makedirs(args.out_dir, exist_ok=True)
    results, summary, errors = {}, [], {}
    for size in args.sizes.split(","):
        w, h = (int(v) for v in size.split("x"))
        t0 = time.time()
        outs = run(pt, frames, w, h)
        elapsed = time.time() - t0
        results[size] = outs
        np.savez_compressed(os.path.join(args.out_dir, "vtest-0-60-%s.npz" % size),
                            frame=np.arange(len(frames)), time=np.arange(len(frames)) / FPS, outputs=outs)
        row = [size, elapsed * 1000 / len(frames)]
        for thr in (0.2, 0.3):
            n = (outs[:, :, 55] >= thr).sum(axis=1)
            found = counted = false_alarms = 0
            for fi, people in labels.items():
                f, c, fa = match_frame(outs[fi], people, thr)
                found, counted, false_alarms = found + f, counted + c, false_alarms + fa
            row += [float(n.mean()), int(np.median(n)), int(n.min()), int(n.max()), found, counted, false_alarms]
        summary.append(row)
        errors[size] = keypoint_errors(outs, args.person_threshold)
        print("%s done (%.0f ms per frame in torch, %d thread(s))" % (size, row[1], args.threads), file=sys.stderr)

    print("| input (WxH) | people/frame >= 0.2 (mean, median, min-max) | found >= 0.2 | false alarms >= 0.2 "
          "| people/frame >= 0.3 | found >= 0.3 | false alarms >= 0.3 |")
    print("| --- | --- | ---: | ---: | --- | ---: | ---: |")
    for r in summary:
        print("| %s | %.2f, %d, %d-%d | %d/%d = %.2f | %d | %.2f, %d, %d-%d | %d/%d = %.2f | %d |" % (
            r[0], r[2], r[3], r[4], r[5], r[6], r[7], r[6] / r[7], r[8],
            r[9], r[10], r[11], r[12], r[13], r[14], r[13] / r[14], r[15]))
    for size, e in errors.items():
        print_errors(size, e, args.person_threshold)
    if args.overlays:
        overlays(args.overlays, frames, labels, results)


if __name__ == "__main__":
    main()
