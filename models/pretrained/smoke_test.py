#!/usr/bin/python3
"""Java-free smoke and sanity check of the converted TorchScript files.

    /usr/bin/python3 smoke_test.py                     # uses the .pt files next to this script
    /usr/bin/python3 smoke_test.py --nsfwjs nsfwjs-4.3.0.tgz   # + uint8-quantisation sensitivity estimate

* loads mobilenetv2_block10_gap.pt with torch.jit.load, runs a batch of 4 RGB
  images at 112x112 and reports the output shape and the time per image;
* checks output shapes at several input sizes (incl. non-square);
* sanity: features of a photo and of its mirror image agree closely, while
  different photos, and photos vs random noise, differ clearly;
* with --nsfwjs: estimates how far the uint8 weight quantisation in nsfwjs may
  have moved the features from the original float32 Keras weights, by adding
  uniform noise of +-scale/2 (the rounding error a uint8 grid implies) to every
  weight not at the exact ends of its range, and comparing features (an
  estimate, not a measurement: the float originals are not available offline).

Photos come from Debian's python3-skimage test data (astronaut, chelsea, coffee,
rocket, motorcycle_left); synthetic frames are used when it is not installed.
"""

import argparse
import os
import statistics
import sys
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
PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png"]


def photo(name: str, h: int, w: int) -> torch.Tensor:
    """(3,h,w) float in [0,1], centre crop to the aspect ratio then bilinear resize."""
    from PIL import Image
    img = Image.open(os.path.join(SKIMAGE_DATA, name)).convert("RGB")
    W, H = img.size
    if W * h > H * w:
        cw, ch = H * w // h, H
    else:
        cw, ch = W, W * h // w
    img = img.crop(((W - cw) // 2, (H - ch) // 2, (W - cw) // 2 + cw, (H - ch) // 2 + ch)).resize((w, h), Image.BILINEAR)
    return torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1).contiguous()


def images(n: int, h: int, w: int) -> (torch.Tensor, list):
    if all(os.path.isfile(os.path.join(SKIMAGE_DATA, p)) for p in PHOTOS):
        names = PHOTOS[:n]
        return torch.stack([photo(p, h, w) for p in names]), [p.split(".")[0] for p in names]
    g = torch.Generator().manual_seed(0)
    yy, xx = torch.meshgrid(torch.linspace(0, 1, h), torch.linspace(0, 1, w), indexing="ij")
    out = []
    for i in range(n):  # smooth synthetic "scenes": coloured blobs on gradients
        c = torch.rand(3, 3, generator=g)
        blob = torch.exp(-((xx - c[0, 0]) ** 2 + (yy - c[0, 1]) ** 2) / (0.02 + 0.1 * c[0, 2]))
        out.append(torch.stack([c[1, k] * xx + c[2, k] * yy * 0.5 + blob * (k == i % 3) for k in range(3)]).clamp(0, 1))
    return torch.stack(out), ["synthetic%d" % i for i in range(n)]


def cos(a: torch.Tensor, b: torch.Tensor) -> float:
    return torch.nn.functional.cosine_similarity(a.flatten().double(), b.flatten().double(), dim=0).item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pt-dir", default=HERE)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--nsfwjs", help="nsfwjs-4.3.0.tgz: also estimate uint8-quantisation sensitivity")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print("torch %s, %d intra-op threads, %d CPUs" % (torch.__version__, torch.get_num_threads(), os.cpu_count()))

    path = os.path.join(args.pt_dir, "mobilenetv2_block10_gap.pt")
    t0 = time.perf_counter()
    m = torch.jit.load(path).eval()
    print("load %s: %.0f ms, %d bytes" % (os.path.basename(path), (time.perf_counter() - t0) * 1e3, os.path.getsize(path)))
    n_param = sum(p.numel() for p in m.parameters()) + sum(b.numel() for b in m.buffers())
    n_bias0 = sum(p.numel() for n, p in m.named_parameters() if n.endswith(".bias") and not p.any())
    print("tensors: %d values (%d of them all-zero conv biases unused by the unfolded BN layout)" % (n_param, n_bias0))

    # --- 1. batch of 4 at 112x112 --------------------------------------------------
    x, names = images(4, 112, 112)
    print("\n[112x112 batch of 4: %s]" % ", ".join(names))
    with torch.no_grad():
        t0 = time.perf_counter()
        y = m(x)
        first = time.perf_counter() - t0
    print("input %s -> output %s %s; first call %.0f ms" % (tuple(x.shape), tuple(y.shape), y.dtype, first * 1e3))
    for threads in sorted({1, args.threads}):
        torch.set_num_threads(threads)
        with torch.no_grad():
            for _ in range(10):
                m(x)
            ts = []
            for _ in range(args.reps):
                t0 = time.perf_counter()
                m(x)
                ts.append(time.perf_counter() - t0)
        ms = sorted(t * 1e3 / 4 for t in ts)
        print("%d thread(s), per image over %d batches: min %.2f ms, median %.2f ms, p90 %.2f ms" % (
            threads, args.reps, ms[0], statistics.median(ms), ms[int(0.9 * (len(ms) - 1))]))
    torch.set_num_threads(args.threads)
    print("feature stats: mean %.3f, std %.3f, min %.3f, max %.3f, finite %s" % (
        y.mean(), y.std(), y.min(), y.max(), bool(torch.isfinite(y).all())))

    # --- 2. shapes ------------------------------------------------------------------
    print("\n[shapes]")
    fmap = torch.jit.load(os.path.join(args.pt_dir, "mobilenetv2_block10.pt")).eval()
    with torch.no_grad():
        for h, w in [(64, 64), (96, 96), (112, 112), (128, 128), (160, 160), (224, 224), (112, 160), (100, 100)]:
            z = torch.rand(2, 3, h, w)
            note = "" if (h % 16 == 0 and w % 16 == 0) else "  (not a multiple of 16: runs, but not recommended)"
            print("  %3dx%-3d  block10 %s  gap %s%s" % (h, w, tuple(fmap(z).shape), tuple(m(z).shape), note))

    # --- 3. sanity ------------------------------------------------------------------
    print("\n[sanity, 112x112 and 224x224, cosine similarity of 96-d GAP features]")
    for s in (112, 224):
        x5, names5 = images(5, s, s)
        with torch.no_grad():
            f = m(x5)
            ff = m(torch.flip(x5, dims=[3]))  # horizontal mirror
            g = torch.Generator().manual_seed(1)
            fr = m(torch.rand(5, 3, s, s, generator=g))
        flip = [cos(f[i], ff[i]) for i in range(5)]
        other = [cos(f[i], f[j]) for i in range(5) for j in range(i + 1, 5)]
        vs_noise = [cos(f[i], fr[j]) for i in range(5) for j in range(5)]
        noise_noise = [cos(fr[i], fr[j]) for i in range(5) for j in range(i + 1, 5)]
        print("  %d: image vs its mirror      min %.4f mean %.4f" % (s, min(flip), statistics.mean(flip)))
        print("  %d: different images        min %.4f mean %.4f max %.4f" % (s, min(other), statistics.mean(other), max(other)))
        print("  %d: images vs uniform noise  mean %.4f max %.4f" % (s, statistics.mean(vs_noise), max(vs_noise)))
        print("  %d: noise vs noise           mean %.4f" % (s, statistics.mean(noise_noise)))
        ok = min(flip) > max(other) and min(flip) > max(vs_noise)
        print("  %d: mirror pairs closer than any other pair: %s" % (s, ok))
        if not ok:
            sys.exit("sanity check failed")

    # --- 4. quantisation sensitivity (optional) -------------------------------------
    if args.nsfwjs:
        sys.path.insert(0, HERE)
        import convert_mobilenetv2 as conv
        model, data, _ = conv.load_tfjs_model(args.nsfwjs)
        W = conv.dequantize(model, data)
        specs = {s["name"]: s["quantization"] for g_ in model["weightsManifest"] for s in g_["weights"]}
        blocks = conv.describe_blocks(model, 10)
        x5, _ = images(5, 224, 224)
        base, _ = conv.build(blocks, W, 2.0, -1.0, head=False, pool=True, fold=False)
        with torch.no_grad():
            f0 = base(x5)
        rng = np.random.default_rng(0)
        sims, rel = [], []
        for _ in range(5):
            Wn = {}
            for k, v in W.items():
                q = np.rint((v.astype(np.float64) - specs[k]["min"]) / specs[k]["scale"])
                noise = (rng.random(v.shape) - 0.5) * specs[k]["scale"]
                noise[(q <= 0) | (q >= 255)] = 0.0  # the ends of the uint8 range (min, max) are exact
                n = v.astype(np.float64) + noise
                if k.endswith("moving_variance"):  # a variance cannot be negative
                    n = np.maximum(n, 0.0)
                Wn[k] = n.astype(np.float32)
            net, _ = conv.build(blocks, Wn, 2.0, -1.0, head=False, pool=True, fold=False)
            with torch.no_grad():
                f1 = net(x5)
            sims += [cos(f0[i], f1[i]) for i in range(5)]
            rel.append(((f1 - f0).norm(dim=1) / f0.norm(dim=1)).mean().item())
        print("\n[uint8 quantisation sensitivity, 224x224 photos, 5 draws of +-scale/2 weight noise]")
        print("  cosine(quantised, perturbed) min %.4f mean %.4f; mean relative L2 change %.3f" % (
            min(sims), statistics.mean(sims), statistics.mean(rel)))


if __name__ == "__main__":
    main()
