#!/usr/bin/python3
"""Parity check: TorchScript files from convert_mobilenetv2.py vs nsfwjs's TF.js model.

    cd models/pretrained/parity && npm ci
    /usr/bin/python3 compare_parity.py ../nsfwjs-4.3.0.tgz      # or the unpacked package dir

1. Writes fixed inputs (float32 RGB in [0,1]) to a work dir: three photos from
   Debian's python3-skimage test data (astronaut, chelsea, coffee; skipped if the
   package is absent), seeded uniform noise, a smooth colour gradient, all-black
   and all-white frames -- at 224x224 (nsfwjs's native size) and, for block_10
   only, at 112x112.
2. Runs ``node parity_check.mjs`` on them (TF.js 4.22.0, pure-JS CPU backend).
3. Runs the .pt files on the same inputs (NCHW) and prints the max abs difference.

Exit code 0 when every difference is below --tol (default 1e-4), 1 otherwise.
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


def _skimage_data_dir() -> str:
    """Folder of the sample photos shipped by Debian's python3-skimage ('' if not installed)."""
    import importlib.util
    spec = importlib.util.find_spec("skimage")
    return os.path.join(spec.submodule_search_locations[0], "data") if spec else ""


SKIMAGE_DATA = _skimage_data_dir()
PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png"]


def load_photo(path: str, size: int) -> np.ndarray:
    from PIL import Image  # Debian python3-pil
    img = Image.open(path).convert("RGB")
    w, h = img.size
    s = min(w, h)  # centre square crop, then resize
    img = img.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
    img = img.resize((size, size), Image.BILINEAR)
    return np.asarray(img, dtype=np.float32) / 255.0


def make_inputs(size: int, with_photos: bool):
    names, imgs = [], []
    if with_photos:
        for p in PHOTOS:
            names.append(p.split(".")[0])
            imgs.append(load_photo(os.path.join(SKIMAGE_DATA, p), size))
    rng = np.random.default_rng(20240601)
    names.append("noise")
    imgs.append(rng.random((size, size, 3), dtype=np.float32))
    yy, xx = np.meshgrid(np.linspace(0, 1, size, dtype=np.float32), np.linspace(0, 1, size, dtype=np.float32),
                         indexing="ij")
    names.append("gradient")
    imgs.append(np.stack([xx, yy, 0.5 * (1 + np.sin(6.0 * (xx + yy)))], axis=-1).astype(np.float32))
    names.append("black")
    imgs.append(np.zeros((size, size, 3), np.float32))
    names.append("white")
    imgs.append(np.ones((size, size, 3), np.float32))
    return names, np.ascontiguousarray(np.stack(imgs))  # NHWC


def main():
    ap = argparse.ArgumentParser(description="TorchScript vs TF.js parity for the nsfwjs MobileNetV2 conversion")
    ap.add_argument("nsfwjs", help="nsfwjs-4.3.0.tgz or the unpacked package dir (same as for the converter)")
    ap.add_argument("--pt-dir", default=os.path.dirname(HERE), help="folder holding the .pt files")
    ap.add_argument("--work", help="keep inputs/outputs here (default: a temp dir, removed afterwards)")
    ap.add_argument("--node", default="node")
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="mnv2-parity-")
    os.makedirs(work, exist_ok=True)
    with_photos = all(os.path.isfile(os.path.join(SKIMAGE_DATA, p)) for p in PHOTOS)
    if not with_photos:
        print("note: python3-skimage test photos not found; using synthetic inputs only")
    sets = []
    for size in (224, 112):
        names, x = make_inputs(size, with_photos)
        fname = "inputs_%d.bin" % size
        x.astype("<f4").tofile(os.path.join(work, fname))
        sets.append({"name": "s%d" % size, "file": fname, "shape": list(x.shape), "images": names})
    with open(os.path.join(work, "inputs.json"), "w") as f:
        json.dump({"sets": sets}, f, indent=1)

    t0 = time.time()
    subprocess.run([args.node, os.path.join(HERE, "parity_check.mjs"), os.path.abspath(args.nsfwjs), work],
                   check=True, cwd=HERE)
    print("TF.js run: %.1f s" % (time.time() - t0))
    with open(os.path.join(work, "tfjs_report.json")) as f:
        rep = json.load(f)
    print("TF.js: core %s, layers %s, backend %s, model from %s" % (
        rep["tfjs_core"], rep["tfjs_layers"], rep["backend"], rep["model_source"]))

    pt = {n: torch.jit.load(os.path.join(args.pt_dir, n)) for n in
          ("mobilenetv2_block10.pt", "mobilenetv2_block10_gap.pt")}
    full_name = "mobilenetv2_full1280_gap_nsfwjs_finetuned.pt"
    if os.path.isfile(os.path.join(args.pt_dir, full_name)):
        pt[full_name] = torch.jit.load(os.path.join(args.pt_dir, full_name))

    ok = True
    rows = []
    for s in sets:
        n, h, w, c = s["shape"]
        x = np.fromfile(os.path.join(work, s["file"]), dtype="<f4").reshape(n, h, w, c)
        xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
        ref = np.fromfile(os.path.join(work, s["name"] + ".tfjs_block10.bin"), dtype="<f4")
        ref = ref.reshape(n, h // 16, w // 16, 96)
        with torch.no_grad():
            fmap = pt["mobilenetv2_block10.pt"](xt).permute(0, 2, 3, 1).numpy()
            gap = pt["mobilenetv2_block10_gap.pt"](xt).numpy()
        checks = [("block10 map %dx%d" % (h, w), fmap, ref),
                  ("block10 GAP %dx%d" % (h, w), gap, ref.mean(axis=(1, 2), dtype=np.float64).astype(np.float32))]
        fpath = os.path.join(work, s["name"] + ".tfjs_full_gap.bin")
        if full_name in pt and os.path.isfile(fpath):
            with torch.no_grad():
                full = pt[full_name](xt).numpy()
            checks.append(("full1280 GAP %dx%d" % (h, w), full, np.fromfile(fpath, dtype="<f4").reshape(n, 1280)))
        for label, a, b in checks:
            assert a.shape == b.shape, (label, a.shape, b.shape)
            d = np.abs(a.astype(np.float64) - b.astype(np.float64))
            per_img = d.reshape(n, -1).max(axis=1)
            rows.append((label, a.shape, float(d.max()), float(d.mean()), float(np.abs(b).max()),
                         dict(zip(s["images"], ["%.2e" % v for v in per_img]))))
            ok &= bool(d.max() < args.tol)

    print("\n%-22s %-18s %-12s %-12s %-10s" % ("output", "shape", "max|diff|", "mean|diff|", "max|ref|"))
    for label, shape, mx, mean, rmax, _ in rows:
        print("%-22s %-18s %-12.3e %-12.3e %-10.3f" % (label, tuple(shape), mx, mean, rmax))
    print("\nper image max|diff|:")
    for label, _, _, _, _, per in rows:
        print("  %-20s %s" % (label, per))
    print("\nPARITY %s (tolerance %.0e)" % ("OK" if ok else "FAILED", args.tol))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
