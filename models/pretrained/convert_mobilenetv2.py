#!/usr/bin/python3
"""Convert the MobileNetV2 shipped in the npm package ``nsfwjs`` 4.3.0 into TorchScript.

Run with Debian's interpreter (``/usr/bin/python3``) which has the Debian
packages ``python3-torch`` and ``python3-numpy``::

    /usr/bin/python3 convert_mobilenetv2.py nsfwjs-4.3.0.tgz

The argument may be the tarball produced by ``npm pack nsfwjs@4.3.0``, the
unpacked package directory (the folder holding ``package.json`` and ``dist/``),
or a folder that directly holds a TF.js layers model (``model.json`` plus its
weight shard files, or nsfwjs's JS-bundled ``model.min.js`` and
``group1-shard*.min.js``).  Nothing is downloaded; the conversion is
deterministic (same input and torch version -> byte-identical ``.pt`` files).

What it does
------------
1. Reads the TF.js layers model (Keras 2.2.4 ``MobileNetV2`` topology, alpha 1.0,
   224x224 input) and its single weight shard.  In nsfwjs 4.3.0 these are
   JavaScript bundles (browserify UMD) with the topology as a JS object literal
   and the shard as one base64 string; both are decoded here in pure Python.
2. Dequantises the uint8 weights exactly as TF.js does:
   ``w = q * scale + min`` (computed in float64, stored as float32).
3. Rebuilds the network as a PyTorch ``nn.Module`` from the topology (Keras
   channels-last kernels transposed to PyTorch layout; explicit
   ``ZeroPadding2D((0,1),(0,1))`` before every stride-2 3x3 convolution;
   ``padding='same'`` stride-1 3x3 depthwise convs -> symmetric padding 1;
   BatchNorm with the Keras epsilon 1e-3; ReLU6).
4. Scripts it with ``torch.jit.script`` and saves:

   * ``mobilenetv2_block10.pt``      (N,3,H,W) in [0,1] -> (N,96,H/16,W/16)
   * ``mobilenetv2_block10_gap.pt``  (N,3,H,W) in [0,1] -> (N,96)
   * ``mobilenetv2_full1280_gap_nsfwjs_finetuned.pt`` (only with ``--full``)
     (N,3,H,W) in [0,1] -> (N,1280).  Its layers after block_10 were
     fine-tuned by nsfwjs for NSFW classification: NOT generic features.

   Only layers up to and including ``block_10`` are marked untrainable in the
   nsfwjs model (they keep the Keras Applications ImageNet weights); the
   block_10 files contain nothing else.

Input contract (all files): float32, RGB, NCHW, values in [0, 1].
The block_10 modules apply the Keras MobileNetV2 preprocessing internally
(``x * 2 - 1``, i.e. [0,1] -> [-1,1]), which is what the ImageNet weights expect.
The optional full model by default feeds [0,1] straight into the network,
exactly as nsfwjs does at inference and as its later layers were trained
(nsfw_model trains with ``ImageDataGenerator(rescale=1/255)``); see
``--full-input-scaling``.
"""

import os
import sys

if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    # TorchScript serialises module constants in set order, which depends on the
    # string hash seed: pin it so repeated runs give byte-identical .pt files.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import argparse
import base64
import hashlib
import io
import json
import re
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

NSFWJS_VERSION = "4.3.0"
# npm registry "dist.integrity" of nsfwjs-4.3.0.tgz (sha512, base64).
NSFWJS_TGZ_SHA512 = "WTKDte0vp1X97N1h34P79G/hG+sVT3+TnDz9di1WseIJR93v11E4viNX7Vg9WsO6HYoR772Nzq2iM8jo3XBZ+g=="
MODEL_SUBDIR = "dist/models/mobilenet_v2"
BLOCK10_CHANNELS = 96
FULL_CHANNELS = 1280
KERAS_BN_EPS = 1e-3

# --------------------------------------------------------------------------------------
# Reading the nsfwjs package
# --------------------------------------------------------------------------------------


class _JsLiteralParser:
    """Minimal parser for the JS object literal that nsfwjs's model bundle exports.

    Handles objects with bare or quoted keys, arrays, double/single-quoted strings,
    numbers (incl. ``.5`` and exponents), ``!0``/``!1`` (minified booleans),
    ``true``/``false``/``null`` and ``void 0``.  That is everything a minified
    JSON-like literal contains; anything else raises ``ValueError``.
    """

    _num = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
    _ident = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")

    def __init__(self, text: str, pos: int):
        self.s = text
        self.i = pos

    def _ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def parse(self):
        self._ws()
        c = self.s[self.i]
        if c == "{":
            return self._object()
        if c == "[":
            return self._array()
        if c in "\"'":
            return self._string()
        if c == "!" and self.s[self.i + 1] in "01":
            self.i += 2
            return self.s[self.i - 1] == "0"  # !0 -> true, !1 -> false
        if self.s.startswith("void 0", self.i):
            self.i += 6
            return None
        m = self._num.match(self.s, self.i)
        if m:
            self.i = m.end()
            t = m.group(0)
            return float(t) if any(ch in t for ch in ".eE") else int(t)
        m = self._ident.match(self.s, self.i)
        if m and m.group(0) in ("true", "false", "null"):
            self.i = m.end()
            return {"true": True, "false": False, "null": None}[m.group(0)]
        raise ValueError("unexpected JS token at %d: %r" % (self.i, self.s[self.i:self.i + 40]))

    def _object(self):
        self.i += 1
        out = {}
        self._ws()
        if self.s[self.i] == "}":
            self.i += 1
            return out
        while True:
            self._ws()
            if self.s[self.i] in "\"'":
                key = self._string()
            else:
                m = self._ident.match(self.s, self.i) or self._num.match(self.s, self.i)
                if not m:
                    raise ValueError("bad object key at %d" % self.i)
                key = m.group(0)
                self.i = m.end()
            self._ws()
            if self.s[self.i] != ":":
                raise ValueError("expected ':' at %d" % self.i)
            self.i += 1
            out[key] = self.parse()
            self._ws()
            c = self.s[self.i]
            self.i += 1
            if c == "}":
                return out
            if c != ",":
                raise ValueError("expected ',' or '}' at %d" % (self.i - 1))

    def _array(self):
        self.i += 1
        out = []
        self._ws()
        if self.s[self.i] == "]":
            self.i += 1
            return out
        while True:
            out.append(self.parse())
            self._ws()
            c = self.s[self.i]
            self.i += 1
            if c == "]":
                return out
            if c != ",":
                raise ValueError("expected ',' or ']' at %d" % (self.i - 1))

    def _string(self):
        q = self.s[self.i]
        j = self.i + 1
        buf = []
        while True:
            c = self.s[j]
            if c == "\\":
                buf.append(self.s[j:j + 2] if self.s[j + 1] != "u" else self.s[j:j + 6])
                j += 2 if self.s[j + 1] != "u" else 6
                continue
            if c == q:
                break
            buf.append(c)
            j += 1
        self.i = j + 1
        raw = "".join(buf)
        if q == "'":
            raw = raw.replace('"', '\\"').replace("\\'", "'")
        return json.loads('"' + raw + '"')


def _parse_model_bundle(js: str) -> dict:
    """Extract ``{modelTopology, weightsManifest}`` from nsfwjs's ``model.min.js``."""
    m = re.search(r"\.exports\s*=\s*\{\s*(?:\"?format\"?|\"?modelTopology\"?)", js)
    if not m:
        raise ValueError("model bundle: no 'exports={modelTopology...' literal found")
    start = js.index("{", m.start())
    return _JsLiteralParser(js, start).parse()


def _parse_shard_bundle(js: str) -> bytes:
    """Extract the base64 weight shard from ``group1-shard*.min.js`` (its one long string)."""
    best = max(re.findall(r'"([A-Za-z0-9+/=]{64,})"', js), key=len, default=None)
    if best is None:
        raise ValueError("shard bundle: no base64 string found")
    return base64.b64decode(best, validate=True)


class _Source:
    """Uniform read access to a tarball, a package dir or a bare model dir."""

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


def load_tfjs_model(src_path: str, allow_other_version: bool = False) -> Tuple[dict, bytes, dict]:
    """Return (model_json, weight_bytes, provenance)."""
    src = _Source(src_path)
    prov = {"source": os.path.basename(os.path.normpath(src_path))}
    if src.tgz_sha512 is not None:
        prov["tarball_sha512"] = "sha512-" + src.tgz_sha512
        if src.tgz_sha512 != NSFWJS_TGZ_SHA512:
            msg = "tarball integrity sha512-%s != expected nsfwjs@%s sha512-%s" % (
                src.tgz_sha512, NSFWJS_VERSION, NSFWJS_TGZ_SHA512)
            if not allow_other_version:
                raise SystemExit("ERROR: " + msg + " (use --allow-other-version to override)")
            print("WARNING: " + msg, file=sys.stderr)
    pkg = src.read("package.json")
    if pkg is not None:
        meta = json.loads(pkg)
        prov["package"] = "%s@%s" % (meta.get("name"), meta.get("version"))
        prov["license"] = meta.get("license")
        if (meta.get("name"), meta.get("version")) != ("nsfwjs", NSFWJS_VERSION):
            msg = "package is %s, expected nsfwjs@%s" % (prov["package"], NSFWJS_VERSION)
            if not allow_other_version:
                raise SystemExit("ERROR: " + msg + " (use --allow-other-version to override)")
            print("WARNING: " + msg, file=sys.stderr)

    model = None
    prefix = None
    for d in (MODEL_SUBDIR + "/", ""):
        raw = src.read(d + "model.json")
        if raw is not None:
            model, prefix, bundled = json.loads(raw), d, False
            break
        raw = src.read(d + "model.min.js")
        if raw is not None:
            model, prefix, bundled = _parse_model_bundle(raw.decode("utf-8")), d, True
            break
    if model is None:
        raise SystemExit("ERROR: no model.json / model.min.js under %s or %s" % (src_path, MODEL_SUBDIR))
    prov["model_files"] = (prefix or "./") + ("model.min.js (JS bundle)" if bundled else "model.json")

    chunks = []
    for group in model["weightsManifest"]:
        for p in group["paths"]:
            raw = src.read(prefix + p)  # plain binary shard
            if raw is None:
                js = src.read(prefix + p + ".min.js")
                if js is None:
                    raise SystemExit("ERROR: weight shard %s not found" % p)
                raw = _parse_shard_bundle(js.decode("ascii"))
            chunks.append(raw)
    data = b"".join(chunks)
    prov["weights_bytes"] = len(data)
    prov["weights_sha256"] = hashlib.sha256(data).hexdigest()
    return model, data, prov


def dequantize(model: dict, data: bytes) -> Dict[str, np.ndarray]:
    """Decode the weight buffer exactly like tfjs-core's io.decodeWeights."""
    sizes = {"float32": 4, "int32": 4, "uint8": 1, "uint16": 2, "float16": 2}
    out: Dict[str, np.ndarray] = {}
    off = 0
    for group in model["weightsManifest"]:
        for spec in group["weights"]:
            shape = tuple(spec["shape"])
            n = int(np.prod(shape)) if shape else 1
            q = spec.get("quantization")
            if q is None:
                if spec["dtype"] != "float32":
                    raise ValueError("unsupported dtype %s" % spec["dtype"])
                arr = np.frombuffer(data, dtype="<f4", count=n, offset=off).copy()
                off += 4 * n
            else:
                qd = q["dtype"]
                if qd in ("uint8", "uint16"):
                    raw = np.frombuffer(data, dtype="u1" if qd == "uint8" else "<u2", count=n, offset=off)
                    arr = (raw.astype(np.float64) * q["scale"] + q["min"]).astype(np.float32)
                elif qd == "float16":
                    arr = np.frombuffer(data, dtype="<f2", count=n, offset=off).astype(np.float32)
                else:
                    raise ValueError("unsupported quantization %s" % qd)
                off += sizes[qd] * n
            out[spec["name"]] = arr.reshape(shape)
    if off != len(data):
        raise ValueError("weight buffer size mismatch: used %d of %d bytes" % (off, len(data)))
    return out


# --------------------------------------------------------------------------------------
# Topology -> block description
# --------------------------------------------------------------------------------------


def _layers(model: dict) -> Dict[str, dict]:
    topo = model["modelTopology"]
    cfg = topo.get("model_config", topo)["config"]
    return {L["name"]: L for L in cfg["layers"]}


def _check(cond: bool, msg: str):
    if not cond:
        raise ValueError("unexpected topology: " + msg)


def describe_blocks(model: dict, last_block: int) -> List[dict]:
    """Read stem + inverted-residual blocks 0..last_block from the Keras topology.

    Every assumption about the layer configuration is asserted, so a model with
    a different layout fails loudly instead of converting silently wrong.
    """
    L = _layers(model)

    def conv_cfg(name, kind):
        _check(name in L and L[name]["class_name"] == kind, "%s is not %s" % (name, kind))
        c = L[name]["config"]
        _check(c.get("use_bias") is False, name + " has a bias")
        _check(c.get("activation") == "linear", name + " activation")
        _check(c.get("dilation_rate", [1, 1]) == [1, 1], name + " dilation")
        _check(c.get("data_format", "channels_last") == "channels_last", name + " data format")
        return c

    def bn_cfg(name):
        _check(name in L and L[name]["class_name"] == "BatchNormalization", name)
        c = L[name]["config"]
        _check(abs(c["epsilon"] - KERAS_BN_EPS) < 1e-12 and c["axis"] in (-1, 3)
               and c["center"] and c["scale"], name + " BN config")

    def relu6(name):
        _check(name in L and L[name]["class_name"] == "ReLU" and L[name]["config"]["max_value"] == 6
               and L[name]["config"].get("negative_slope", 0) == 0
               and L[name]["config"].get("threshold", 0) == 0, name + " is not ReLU6")

    def pad(name):
        _check(L[name]["class_name"] == "ZeroPadding2D" and L[name]["config"]["padding"] == [[0, 1], [0, 1]],
               name + " padding (expected ((0,1),(0,1)))")

    blocks = []
    # stem: Conv1_pad -> Conv1 (3x3 s2 valid) -> bn_Conv1 -> Conv1_relu
    pad("Conv1_pad")
    c = conv_cfg("Conv1", "Conv2D")
    _check(c["kernel_size"] == [3, 3] and c["strides"] == [2, 2] and c["padding"] == "valid", "Conv1")
    bn_cfg("bn_Conv1")
    relu6("Conv1_relu")
    blocks.append({"kind": "stem", "out": c["filters"]})
    in_ch = c["filters"]

    for b in range(0, last_block + 1):
        p = "expanded_conv_" if b == 0 else "block_%d_" % b
        has_expand = (p + "expand") in L
        _check(has_expand == (b != 0), "%sexpand presence" % p)
        hidden = in_ch
        if has_expand:
            ce = conv_cfg(p + "expand", "Conv2D")
            _check(ce["kernel_size"] == [1, 1] and ce["strides"] == [1, 1], p + "expand")
            bn_cfg(p + "expand_BN")
            relu6(p + "expand_relu")
            hidden = ce["filters"]
        cd = conv_cfg(p + "depthwise", "DepthwiseConv2D")
        _check(cd["kernel_size"] == [3, 3] and cd.get("depth_multiplier", 1) == 1, p + "depthwise")
        stride = cd["strides"][0]
        _check(cd["strides"] in ([1, 1], [2, 2]), p + "depthwise strides")
        if stride == 2:
            pad(p + "pad")
            _check(cd["padding"] == "valid", p + "depthwise padding for stride 2")
        else:
            _check(cd["padding"] == "same" and (p + "pad") not in L, p + "depthwise padding for stride 1")
        bn_cfg(p + "depthwise_BN")
        relu6(p + "depthwise_relu")
        cp = conv_cfg(p + "project", "Conv2D")
        _check(cp["kernel_size"] == [1, 1], p + "project")
        bn_cfg(p + "project_BN")
        out_ch = cp["filters"]
        residual = (p + "add") in L
        _check(residual == (stride == 1 and in_ch == out_ch), p + "add presence")
        # Keras trainable flag: informational (True means fine-tuned by nsfwjs).
        blocks.append({"kind": "ir", "prefix": p, "in": in_ch, "hidden": hidden, "out": out_ch,
                       "stride": stride, "expand": has_expand, "residual": residual,
                       "trainable": bool(L[p + "project"]["config"].get("trainable", True))})
        in_ch = out_ch
    return blocks


# --------------------------------------------------------------------------------------
# PyTorch modules (self-contained: only F.* ops, so the TorchScript holds no torch.nn code)
# --------------------------------------------------------------------------------------


class ConvBN(nn.Module):
    """[ZeroPad (0,1,0,1)] -> conv (3x3 dw / 1x1 / 3x3 stem) -> BatchNorm -> [ReLU6].

    With ``fold`` the BatchNorm is folded into ``weight``/``bias`` (same maths,
    fewer ops); otherwise ``bias`` is zero and BN runs as F.batch_norm(eps=1e-3).
    """

    pad_br: Final[bool]
    relu6: Final[bool]
    use_bn: Final[bool]
    stride: Final[int]
    padding: Final[int]
    groups: Final[int]
    eps: Final[float]

    def __init__(self, weight: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, mean: torch.Tensor,
                 var: torch.Tensor, stride: int, groups: int, pad_br: bool, relu6: bool, fold: bool):
        super().__init__()
        k = weight.shape[-1]
        self.pad_br = pad_br
        self.relu6 = relu6
        self.stride = stride
        self.groups = groups
        # 'same' padding for the stride-1 3x3 depthwise convs; stride-2 convs get explicit
        # Keras ZeroPadding2D(((0,1),(0,1))) (pad bottom/right only) and 'valid' conv.
        self.padding = 0 if pad_br else (k // 2)
        self.use_bn = not fold
        self.eps = KERAS_BN_EPS
        if fold:
            inv = gamma.double() / torch.sqrt(var.double() + KERAS_BN_EPS)
            w = (weight.double() * inv.view(-1, 1, 1, 1)).float()
            b = (beta.double() - mean.double() * inv).float()
            empty = torch.zeros(0)
            gamma, beta, mean, var = empty, empty, empty, empty
        else:
            w, b = weight, torch.zeros(weight.shape[0])
        # Parameters (frozen: requires_grad=False) for conv/BN affine weights, buffers for BN statistics.
        self.weight = nn.Parameter(w.contiguous(), requires_grad=False)
        self.bias = nn.Parameter(b.contiguous(), requires_grad=False)
        self.bn_gamma = nn.Parameter(gamma.contiguous(), requires_grad=False)
        self.bn_beta = nn.Parameter(beta.contiguous(), requires_grad=False)
        self.register_buffer("bn_mean", mean.contiguous())
        self.register_buffer("bn_var", var.contiguous())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pad_br:
            x = F.pad(x, [0, 1, 0, 1])
        x = F.conv2d(x, self.weight, self.bias, self.stride, self.padding, 1, self.groups)
        if self.use_bn:
            x = F.batch_norm(x, self.bn_mean, self.bn_var, self.bn_gamma, self.bn_beta, False, 0.0, self.eps)
        if self.relu6:
            x = torch.clamp(x, 0.0, 6.0)
        return x


class InvertedResidual(nn.Module):
    """[expand 1x1 + ReLU6] -> depthwise 3x3 + ReLU6 -> project 1x1 (linear) [+ input]."""

    residual: Final[bool]

    def __init__(self, layers: List[ConvBN], residual: bool):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.residual = residual

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x
        for m in self.layers:
            y = m(y)
        if self.residual:
            y = y + x
        return y


class MobileNetV2Features(nn.Module):
    """MobileNetV2 trunk. Input (N,3,H,W) RGB float32 in [0,1].

    ``input_scale``/``input_shift``: preprocessing inside the module
    (2, -1: Keras MobileNetV2 / ImageNet [-1,1]; 1, 0: nsfwjs's own [0,1]).
    ``head``: optional Conv_1 1x1 (320->1280) + BN + ReLU6 (Keras 'out_relu').
    ``pool``: global average pooling -> (N,C).
    """

    input_scale: Final[float]
    input_shift: Final[float]
    pool: Final[bool]

    def __init__(self, stem: ConvBN, blocks: List[InvertedResidual], head: List[ConvBN],
                 input_scale: float, input_shift: float, pool: bool):
        super().__init__()
        self.stem = stem
        self.blocks = nn.ModuleList(blocks)
        self.head = nn.ModuleList(head)
        self.input_scale = input_scale
        self.input_shift = input_shift
        self.pool = pool

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x * self.input_scale + self.input_shift)
        for b in self.blocks:
            x = b(x)
        for h in self.head:
            x = h(x)
        if self.pool:
            x = x.mean(dim=[2, 3])
        return x


def _conv_bn(W: Dict[str, np.ndarray], conv: str, bn: str, depthwise: bool, stride: int, pad_br: bool,
             relu6: bool, fold: bool, used: List[str]) -> ConvBN:
    if depthwise:
        key = conv + "/depthwise_kernel"
        w = W[key].transpose(2, 3, 0, 1)  # Keras (kh, kw, C, 1) -> PyTorch (C, 1, kh, kw)
    else:
        key = conv + "/kernel"
        w = W[key].transpose(3, 2, 0, 1)  # Keras (kh, kw, Cin, Cout) -> PyTorch (Cout, Cin, kh, kw)
    bnk = [bn + s for s in ("/gamma", "/beta", "/moving_mean", "/moving_variance")]
    used += [key] + bnk
    t = [torch.from_numpy(np.ascontiguousarray(a)) for a in [w] + [W[k] for k in bnk]]
    groups = t[0].shape[0] if depthwise else 1
    return ConvBN(t[0], t[1], t[2], t[3], t[4], stride, groups, pad_br, relu6, fold)


def build(blocks: List[dict], W: Dict[str, np.ndarray], input_scale: float, input_shift: float,
          head: bool, pool: bool, fold: bool) -> Tuple[MobileNetV2Features, List[str]]:
    used: List[str] = []
    stem = _conv_bn(W, "Conv1", "bn_Conv1", False, 2, True, True, fold, used)
    irs = []
    for b in blocks[1:]:
        p = b["prefix"]
        layers = []
        if b["expand"]:
            layers.append(_conv_bn(W, p + "expand", p + "expand_BN", False, 1, False, True, fold, used))
        layers.append(_conv_bn(W, p + "depthwise", p + "depthwise_BN", True, b["stride"], b["stride"] == 2,
                               True, fold, used))
        layers.append(_conv_bn(W, p + "project", p + "project_BN", False, 1, False, False, fold, used))
        irs.append(InvertedResidual(layers, b["residual"]))
    heads = [_conv_bn(W, "Conv_1", "Conv_1_bn", False, 1, False, True, fold, used)] if head else []
    net = MobileNetV2Features(stem, irs, heads, input_scale, input_shift, pool).eval()
    return net, used


# --------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _strip_debug_info(src: str, dst: str):
    """Copy a TorchScript archive without its ``*.debug_pkl`` records.

    Those records only hold source ranges for error messages, and they embed the
    absolute path of this script on the machine that ran it.  The copy is written
    with PyTorch's own archive writer (aligned records, same format version).
    """
    reader = torch._C.PyTorchFileReader(src)
    version = int(bytes(reader.get_record("version")).decode().strip())
    writer = torch._C.PyTorchFileWriter(dst)  # archive folder name = basename of dst
    writer.set_min_version(version)
    for name in reader.get_all_records():
        if name.endswith(".debug_pkl") or name == "version":
            continue
        data = bytes(reader.get_record(name))
        writer.write_record(name, data, len(data))
    writer.write_end_of_file()
    del writer, reader


def save_script(net: nn.Module, path: str, meta: dict, check_sizes=(224, 112, 96, 64)):
    scripted = torch.jit.script(net)
    extra = {"argus_model_info.json": json.dumps(meta, indent=1, sort_keys=True)}
    tmp = path + ".tmp"
    torch.jit.save(scripted, tmp, _extra_files=extra)
    _strip_debug_info(tmp, path)
    os.remove(tmp)
    # Reload and check it agrees with the eager module at a few sizes.
    loaded = torch.jit.load(path)
    g = torch.Generator().manual_seed(0)
    for s in check_sizes:
        x = torch.rand(2, 3, s, s, generator=g)
        with torch.no_grad():
            d = (loaded(x) - net(x)).abs().max().item()
        if d != 0.0:
            raise RuntimeError("%s: reloaded TorchScript differs from eager module by %g" % (path, d))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("nsfwjs", help="nsfwjs-4.3.0.tgz (npm pack), the unpacked package dir, or a TF.js model dir")
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)),
                    help="where to write the .pt files (default: next to this script)")
    ap.add_argument("--full", action="store_true",
                    help="also write the 1280-d feature model (layers after block_10 fine-tuned by nsfwjs)")
    ap.add_argument("--full-input-scaling", choices=["nsfwjs", "keras"], default="nsfwjs",
                    help="full model only: 'nsfwjs' feeds [0,1] directly as nsfwjs does (default); "
                         "'keras' applies x*2-1 like the block_10 files")
    ap.add_argument("--fold-bn", action="store_true",
                    help="fold BatchNorm into the convolutions (same maths, smaller file; measured no faster on "
                         "CPU and ~3x larger float32 rounding vs TF.js, so off by default)")
    ap.add_argument("--allow-other-version", action="store_true",
                    help="do not fail when the package is not nsfwjs@%s" % NSFWJS_VERSION)
    args = ap.parse_args(argv)

    torch.manual_seed(0)
    model, data, prov = load_tfjs_model(args.nsfwjs, args.allow_other_version)
    W = dequantize(model, data)
    print("source: %s" % json.dumps(prov, sort_keys=True))
    print("dequantised %d tensors, %d values" % (len(W), sum(a.size for a in W.values())))

    blocks10 = describe_blocks(model, 10)
    tuned = [b["prefix"] for b in blocks10[1:] if b["trainable"]]
    if tuned:
        raise SystemExit("ERROR: blocks %s are marked trainable (fine-tuned) in this model" % tuned)
    out_ch = blocks10[-1]["out"]
    assert out_ch == BLOCK10_CHANNELS, out_ch

    os.makedirs(args.out_dir, exist_ok=True)
    written = []
    common = {
        "architecture": "MobileNetV2 alpha=1.0 (Sandler et al. 2018), Keras Applications layout",
        "source": "npm nsfwjs@%s dist/models/mobilenet_v2 (TF.js layers model, uint8-quantised weights)"
                  % NSFWJS_VERSION,
        "source_weights_sha256": prov["weights_sha256"],
        "bn_folded": bool(args.fold_bn),
        "converter": "convert_mobilenetv2.py",
    }
    variants = [
        ("mobilenetv2_block10.pt", False,
         "block_10_project_BN feature map (N,96,H/16,W/16); only layers nsfwjs kept frozen (ImageNet)"),
        ("mobilenetv2_block10_gap.pt", True,
         "global average of block_10_project_BN (N,96); only layers nsfwjs kept frozen (ImageNet)"),
    ]
    fold = bool(args.fold_bn)
    probe = torch.rand(2, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    for fname, pool, desc in variants:
        net, used = build(blocks10, W, 2.0, -1.0, head=False, pool=pool, fold=fold)
        expected = sorted(k for k in W if _layer_index(k) <= 10)
        if sorted(used) != expected:
            raise RuntimeError("weights used != weights of Conv1..block_10: %s" % sorted(set(expected) ^ set(used)))
        if fold:  # folding is exact maths; show the float32 rounding it costs
            ref, _ = build(blocks10, W, 2.0, -1.0, head=False, pool=pool, fold=False)
            with torch.no_grad():
                d = (net(probe) - ref(probe)).abs().max().item()
            print("%s: BN folding changes outputs by at most %.3g (float32 rounding)" % (fname, d))
            if d > 1e-3:
                raise RuntimeError("BN folding error too large")
        meta = dict(common, output=desc,
                    input="float32 RGB NCHW (N,3,H,W), values in [0,1]; H, W multiples of 16 (224 native)",
                    preprocessing="inside: x*2-1 ([0,1] -> [-1,1], Keras MobileNetV2)",
                    layers="Conv1 .. block_10 (all marked trainable=false in the nsfwjs model)")
        path = os.path.join(args.out_dir, fname)
        save_script(net, path, meta)
        written.append(path)

    if args.full:
        blocks_all = describe_blocks(model, 16)
        L = _layers(model)
        _check(L["Conv_1"]["config"]["kernel_size"] == [1, 1] and L["Conv_1"]["config"]["filters"] == FULL_CHANNELS
               and L["out_relu"]["config"]["max_value"] == 6, "Conv_1 / out_relu")
        scale, shift = (1.0, 0.0) if args.full_input_scaling == "nsfwjs" else (2.0, -1.0)
        net, _ = build(blocks_all, W, scale, shift, head=True, pool=True, fold=fold)
        meta = dict(common,
                    input="float32 RGB NCHW (N,3,H,W), values in [0,1]; H, W multiples of 32 (224 native)",
                    output="global average of out_relu (N,1280). WARNING: block_11..block_16 and Conv_1 were "
                           "fine-tuned by nsfwjs for NSFW classification - not generic ImageNet features",
                    preprocessing=("none: [0,1] fed directly, as nsfwjs does" if scale == 1.0
                                   else "inside: x*2-1 ([0,1] -> [-1,1])"),
                    layers="Conv1 .. out_relu")
        path = os.path.join(args.out_dir, "mobilenetv2_full1280_gap_nsfwjs_finetuned.pt")
        save_script(net, path, meta)
        written.append(path)

    lines = []
    with torch.no_grad():
        for path in written:
            m = torch.jit.load(path)
            y = m(torch.zeros(1, 3, 224, 224))
            digest = sha256_file(path)
            lines.append("%s  %s\n" % (digest, os.path.basename(path)))
            print("%-46s %9d bytes  sha256 %s  out(1,3,224,224)=%s" % (
                os.path.basename(path), os.path.getsize(path), digest, tuple(y.shape)))
    with open(os.path.join(args.out_dir, "SHA256SUMS"), "w") as f:
        f.writelines(lines)


def _layer_index(weight_name: str) -> int:
    """Block number of a Keras weight name (stem = -1, Conv_1 head = 99)."""
    layer = weight_name.split("/")[0]
    if layer.startswith(("Conv1", "bn_Conv1")):
        return -1
    if layer.startswith("expanded_conv"):
        return 0
    m = re.match(r"block_(\d+)_", layer)
    return int(m.group(1)) if m else 99


if __name__ == "__main__":
    main()
