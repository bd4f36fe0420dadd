"""Writes opinfo.json: randomized differential cases against PyTorch, in the style of PyTorch's OpInfo.

Run with the repository's PyTorch install (2.15):

    .venv-torch/bin/python Tests/OpInfoTests/Golden/make_opinfo_golden.py

Every entry of OPS below is one operation: a sampler that draws a random case (shapes incl.
size 1, empty and 0-d, operands that broadcast, options, edge values: ties, +-0, bounds, NaN,
+-inf) and a function that runs it in PyTorch. Each case is run in float64 and float32 from the
same inputs (all inputs are multiples of 1/64 or edge values, exact in both precisions). The file
stores per case:

    op   the entry's name (the Swift replay table has one entry per name)
    a    the options (JSON)
    x    floating-point inputs; each is a leaf that requires a gradient unless listed in
    c    (the positions of constant inputs, e.g. class weights)
    i    integer inputs (indices, class targets, masks)
    o    the float64 outputs (float outputs and integer ones, e.g. indices)
    d    the float64 gradients of the inputs x (null where PyTorch gives none)
    o32, d32  the float32 results, stored only where they differ from the float64 ones by more
         than 2e-5 (relative above 1): otherwise the Float replay is held to o and d

Gradients are those of sum_k sum(out_k * w_k) over the float outputs, with the upstream weights
w_k[j] = 0.5 + ((7 j + 3 k) mod 11) / 8 (the Swift test computes the same ones). Ops marked
`grad=False` (optimizers, schedulers, clipping, integer results) record outputs only.

Tensors are [shape, values]; non-finite values are the strings "nan", "inf", "-inf". Float64
results keep 13 significant digits, float32 ones 8 (the tolerances are 1e-9 and 1e-4).

Adding an op: one `@op(...)` function here and one entry in the Swift replay table
(Tests/OpInfoTests/OpInfoReplay.swift), then rerun this script.
"""

import json
import math
import random
from pathlib import Path

import torch
import torch.nn.functional as F

SEED = 20261206
STEP_WEIGHTS = lambda j, k: 0.5 + ((7 * j + 3 * k) % 11) / 8

OPS = {}


def op(name, cases, grad=True, edges=True, redraw_unstable=False):
    """Registers `fn(draw) -> (x, i, a, run)`: inputs, options and the PyTorch function of a case.

    `redraw_unstable`: a case whose float32 result PyTorch itself cannot hold within 2e-5 of its
    float64 one is drawn again (30 optimizer steps can amplify rounding until it decides the result).
    """

    def register(fn):
        OPS[name] = dict(sample=fn, cases=cases, grad=grad, edges=edges, redraw_unstable=redraw_unstable)
        return fn

    return register


# ----------------------------------------------------------------------------------------------
# Random values and shapes


class Draw:
    """Random shapes and values for one case; `edges` enables NaN, +-inf, +-0 and ties."""

    def __init__(self, rng, edges):
        self.rng = rng
        self.edges = edges
        self.finite = False  # edge values without NaN and +-inf

    def dim(self, allow_empty=True):
        r = self.rng.random()
        if allow_empty and r < 0.06:
            return 0
        if r < 0.3:
            return 1
        return self.rng.randint(2, 4)

    def shape(self, rank=None, allow_empty=True, max_rank=3):
        rank = self.rng.randint(0, max_rank) if rank is None else rank
        return [self.dim(allow_empty) for _ in range(rank)]

    def value(self, low=-4.0, high=4.0):
        r = self.rng.random()
        if self.edges and r < 0.08:
            if self.finite:
                return self.rng.choice([0.0, -0.0, 1.0, -1.0])
            return self.rng.choice([0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0])
        if r < 0.25:
            return self.rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0])  # ties
        k = self.rng.randint(int(low * 64), int(high * 64))
        return k / 64

    def values(self, shape, **bounds):
        n = math.prod(shape)
        return [self.value(**bounds) for _ in range(n)]

    def tensor(self, shape, **bounds):
        return [list(shape), self.values(shape, **bounds)]

    def positive(self, shape):
        return Const([list(shape), [self.rng.randint(16, 192) / 64 for _ in range(math.prod(shape))]])

    def unit(self, shape):
        return [list(shape), [self.rng.randint(0, 64) / 64 for _ in range(math.prod(shape))]]

    def broadcast_shapes(self, count):
        """`count` shapes that broadcast together: trailing-aligned, some dimensions 1 or dropped."""
        target = self.shape(self.rng.randint(0, 3))
        shapes = []
        for _ in range(count):
            drop = self.rng.randint(0, len(target))
            s = [1 if self.rng.random() < 0.3 else d for d in target[drop:]]
            shapes.append(s)
        return shapes

    def axes(self, rank, allow_empty_list=True):
        if rank == 0:
            return self.rng.choice([[0], [-1], []])
        count = self.rng.randint(0 if allow_empty_list else 1, rank)
        chosen = self.rng.sample(range(rank), count)
        return [a - rank if self.rng.random() < 0.3 else a for a in chosen]

    def axis(self, rank):
        r = max(rank, 1)
        return self.rng.randint(-r, r - 1)


class Const(list):
    """An input tensor spec that does not require a gradient (e.g. class weights)."""


def t(spec, dtype):
    shape, values = spec
    return torch.tensor(values, dtype=dtype).reshape(shape)


# ----------------------------------------------------------------------------------------------
# Elementwise


UNARY = {
    "neg": lambda x: -x,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "square": torch.square,
    "logSigmoid": F.logsigmoid,
}

for _name, _fn in UNARY.items():

    def _sample(d, fn=_fn):
        return [d.tensor(d.shape())], [], {}, lambda x, i, a: [fn(x[0])]

    op(_name, 40)(_sample)


ACTIVATIONS = {
    "silu": lambda x, a: F.silu(x),
    "leakyReLU": lambda x, a: F.leaky_relu(x, a["slope"]),
    "elu": lambda x, a: F.elu(x, a["alpha"]),
    "softplus": lambda x, a: F.softplus(x, a["beta"], a["threshold"]),
}

for _name, _fn in ACTIVATIONS.items():

    def _sample(d, fn=_fn, name=_name):
        # No NaN for elu: PyTorch 2.15's gradient at NaN is NaN in float64 but g in float32.
        d.finite = name == "elu"
        a = {"slope": d.rng.choice([0.01, 0.2, -0.5]), "alpha": d.rng.choice([1.0, 0.5, 2.0]),
             "beta": d.rng.choice([1.0, 2.0, 0.5]), "threshold": d.rng.choice([20.0, 1.0, 2.5])}
        return [d.tensor(d.shape())], [], a, lambda x, i, a: [fn(x[0], a)]

    op(_name, 40)(_sample)


@op("clamp", 80)
def _clamp(d):
    bounds = [d.rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0, d.value()]) for _ in range(2)]
    which = d.rng.choice(["both", "min", "max"])
    a = {"min": bounds[0] if which != "max" else None, "max": bounds[1] if which != "min" else None}
    return [d.tensor(d.shape())], [], a, lambda x, i, a: [x[0].clamp(a["min"], a["max"])]


@op("clampTensor", 120)
def _clamp_tensor(d):
    which = d.rng.choice(["both", "both", "min", "max"])
    shapes = d.broadcast_shapes(3)
    xs = [d.tensor(shapes[0])]
    if which != "max":
        xs.append(d.tensor(shapes[1]))
    if which != "min":
        xs.append(d.tensor(shapes[2]))

    def run(x, i, a):
        lo = x[1] if a["hasMin"] else None
        hi = x[-1] if a["hasMax"] else None
        return [torch.clamp(x[0], lo, hi)]

    return xs, [], {"hasMin": which != "max", "hasMax": which != "min"}, run


@op("powScalar", 80)
def _pow_scalar(d):
    e = d.rng.choice([0.0, 1.0, 2.0, 3.0, 0.5, -1.0, -0.5, 1.5, -2.0, 0.25])
    return [d.tensor(d.shape())], [], {"exponent": e}, lambda x, i, a: [x[0].pow(a["exponent"])]


BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "pow": torch.pow,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
}

for _name, _fn in BINARY.items():

    def _sample(d, fn=_fn):
        shapes = d.broadcast_shapes(2)
        return [d.tensor(shapes[0]), d.tensor(shapes[1])], [], {}, lambda x, i, a: [fn(x[0], x[1])]

    op(_name, 60)(_sample)


SCALAR = {
    "addScalar": lambda x, s: x + s,
    "subScalar": lambda x, s: x - s,
    "rsubScalar": lambda x, s: s - x,
    "mulScalar": lambda x, s: x * s,
    "divScalar": lambda x, s: x / s,
    "rdivScalar": lambda x, s: s / x,
}

for _name, _fn in SCALAR.items():

    def _sample(d, fn=_fn):
        return [d.tensor(d.shape())], [], {"s": d.value()}, lambda x, i, a: [fn(x[0], a["s"])]

    op(_name, 25)(_sample)


@op("where", 50)
def _where(d):
    shapes = d.broadcast_shapes(3)
    cond = [shapes[0], [d.rng.randint(0, 1) for _ in range(math.prod(shapes[0]))]]
    return ([d.tensor(shapes[1]), d.tensor(shapes[2])], [cond], {},
            lambda x, i, a: [torch.where(i[0].bool(), x[0], x[1])])


@op("softmax", 50)
def _softmax(d):
    shape = d.shape()
    scale = d.rng.choice([1, 1, 1024])
    x = d.tensor(shape)
    x[1] = [v * scale for v in x[1]]
    return [x], [], {"axis": d.axis(len(shape))}, lambda x, i, a: [torch.softmax(x[0], a["axis"])]


@op("logSoftmax", 80)
def _log_softmax(d):
    shape = d.shape()
    scale = d.rng.choice([1, 1, 1024])
    x = d.tensor(shape)
    x[1] = [v * scale for v in x[1]]
    return [x], [], {"axis": d.axis(len(shape))}, lambda x, i, a: [torch.log_softmax(x[0], a["axis"])]


# ----------------------------------------------------------------------------------------------
# Reductions


@op("sum", 60)
def _sum(d):
    shape = d.shape()
    a = {"axes": d.axes(len(shape)), "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].sum(dim=a["axes"], keepdim=a["keepDim"])]


@op("mean", 60)
def _mean(d):
    shape = d.shape()
    a = {"axes": d.axes(len(shape)), "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].mean(dim=a["axes"], keepdim=a["keepDim"])]


@op("logSumExp", 50)
def _logsumexp(d):
    shape = d.shape()
    axes = d.axes(len(shape), allow_empty_list=False)
    if not axes:
        axes = [0]
    a = {"axes": axes, "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: [torch.logsumexp(x[0], dim=a["axes"], keepdim=a["keepDim"])]


@op("maxAll", 40)
def _max_all(d):
    return [d.tensor(d.shape(allow_empty=False))], [], {}, lambda x, i, a: [x[0].max()]


@op("minAll", 40)
def _min_all(d):
    return [d.tensor(d.shape(allow_empty=False))], [], {}, lambda x, i, a: [x[0].min()]


def _extremum_axis(d, fn):
    shape = d.shape()
    axis = d.axis(len(shape))
    if shape and shape[axis] == 0:
        shape[axis] = 2
    a = {"axis": axis, "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: list(fn(x[0], a["axis"], keepdim=a["keepDim"]))


op("maxAxis", 50)(lambda d: _extremum_axis(d, torch.max))
op("minAxis", 50)(lambda d: _extremum_axis(d, torch.min))


@op("argmax", 30, grad=False)
def _argmax(d):
    return [d.tensor(d.shape(allow_empty=False))], [], {}, lambda x, i, a: [x[0].argmax()]


def _optional_axes(d, rank):
    """None (every axis) or a list of distinct axes."""
    return None if d.rng.random() < 0.3 else d.axes(rank)


@op("prod", 50)
def _prod(d):
    shape = d.shape()
    if d.rng.random() < 0.3:
        return [d.tensor(shape)], [], {}, lambda x, i, a: [x[0].prod()]
    a = {"axis": d.axis(len(shape)), "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].prod(a["axis"], keepdim=a["keepDim"])]


@op("cumsum", 40)
def _cumsum(d):
    shape = d.shape()
    return [d.tensor(shape)], [], {"axis": d.axis(len(shape))}, lambda x, i, a: [x[0].cumsum(a["axis"])]


@op("cumprod", 50)
def _cumprod(d):
    # Finite values: with a zero in the tensor, PyTorch 2.15 divides by the elements before a line's
    # first zero (NaN at an infinity), where this library multiplies exactly; not matched yet.
    d.finite = True
    shape = d.shape()
    return [d.tensor(shape)], [], {"axis": d.axis(len(shape))}, lambda x, i, a: [x[0].cumprod(a["axis"])]


def _statistic(d, fn):
    shape = d.shape()
    # Not dim=[]: PyTorch 2.15 reduces every axis then but its backward divides by N = 1. And
    # correction < N: at N <= correction (a division by zero) PyTorch's gradient signs are not matched yet.
    axes = _optional_axes(d, len(shape)) or None
    n = math.prod(shape) if axes is None or not shape else math.prod(shape[k] for k in axes)
    a = {"axes": axes, "correction": min(d.rng.choice([0, 1, 1, 2]), max(n - 1, 0)), "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: [fn(x[0], dim=a["axes"], correction=a["correction"],
                                                           keepdim=a["keepDim"])]


op("var", 50)(lambda d: _statistic(d, torch.var))
op("std", 50)(lambda d: _statistic(d, torch.std))


@op("norm", 80)
def _norm(d):
    p = d.rng.choice([2.0, 1.0, 3.0, 0.5, 0.0, "inf", "-inf"])
    shape = d.shape(allow_empty=p not in ("inf", "-inf"))
    a = {"p": p, "axes": _optional_axes(d, len(shape)), "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: [torch.linalg.vector_norm(
        x[0], ord=float(a["p"]), dim=a["axes"], keepdim=a["keepDim"])]


def _extrema(d, fn):
    shape = d.shape(allow_empty=False)
    a = {"axes": _optional_axes(d, len(shape)), "keepDim": d.rng.random() < 0.4}
    return [d.tensor(shape)], [], a, lambda x, i, a: [fn(x[0], dim=() if a["axes"] is None else a["axes"],
                                                          keepdim=a["keepDim"])]


op("amax", 50)(lambda d: _extrema(d, torch.amax))
op("amin", 50)(lambda d: _extrema(d, torch.amin))


@op("argmin", 30, grad=False)
def _argmin(d):
    return [d.tensor(d.shape(allow_empty=False))], [], {}, lambda x, i, a: [x[0].argmin()]


@op("sort", 60)
def _sort(d):
    shape = d.shape()
    a = {"axis": d.axis(len(shape)), "descending": d.rng.random() < 0.5}
    return [d.tensor(shape)], [], a, lambda x, i, a: list(torch.sort(x[0], dim=a["axis"], descending=a["descending"],
                                                                     stable=True))


@op("argsort", 40, grad=False)
def _argsort(d):
    shape = d.shape()
    a = {"axis": d.axis(len(shape)), "descending": d.rng.random() < 0.5}
    return [d.tensor(shape)], [], a, lambda x, i, a: [torch.argsort(x[0], dim=a["axis"], descending=a["descending"],
                                                                    stable=True)]


@op("topk", 50)
def _topk(d):
    shape = d.shape()
    axis = d.axis(len(shape))
    size = shape[axis] if shape else 1
    # Distinct values: PyTorch leaves the order of tied elements unspecified.
    values = d.rng.sample(range(-256, 257), math.prod(shape))
    a = {"axis": axis, "k": d.rng.randint(0, size), "largest": d.rng.random() < 0.6}
    return ([[shape, [v / 64 for v in values]]], [], a,
            lambda x, i, a: list(torch.topk(x[0], a["k"], dim=a["axis"], largest=a["largest"])))


# ----------------------------------------------------------------------------------------------
# Products


@op("matmul", 80, edges=False)
def _matmul(d):
    n, k, m = d.dim(), d.dim(), d.dim()
    batch = d.shape(d.rng.randint(0, 2), max_rank=2)
    kind = d.rng.choice(["vv", "mv", "vm", "mm", "bmm", "bmm"])
    left = {"vv": [k], "vm": [k], "mv": [n, k], "mm": [n, k], "bmm": batch + [n, k]}[kind]
    right = {"vv": [k], "mv": [k], "vm": [k, m], "mm": [k, m], "bmm": [k, m]}[kind]
    if kind == "bmm" and d.rng.random() < 0.5:
        right = [1 if d.rng.random() < 0.5 else b for b in batch] + right
    return [d.tensor(left), d.tensor(right)], [], {}, lambda x, i, a: [x[0] @ x[1]]


@op("linear", 50, edges=False)
def _linear(d):
    lead = d.shape(d.rng.randint(0, 2), max_rank=2)
    fin, fout = d.dim(), d.dim()
    xs = [d.tensor(lead + [fin]), d.tensor([fout, fin])]
    if d.rng.random() < 0.6:
        xs.append(d.tensor([fout]))
    return xs, [], {}, lambda x, i, a: [F.linear(x[0], x[1], x[2] if len(x) > 2 else None)]


@op("mm", 30, edges=False)
def _mm(d):
    n, k, m = d.dim(), d.dim(), d.dim()
    return [d.tensor([n, k]), d.tensor([k, m])], [], {}, lambda x, i, a: [torch.mm(x[0], x[1])]


@op("bmm", 30, edges=False)
def _bmm(d):
    b, n, k, m = d.dim(), d.dim(), d.dim(), d.dim()
    return [d.tensor([b, n, k]), d.tensor([b, k, m])], [], {}, lambda x, i, a: [torch.bmm(x[0], x[1])]


@op("mv", 30, edges=False)
def _mv(d):
    n, k = d.dim(), d.dim()
    return [d.tensor([n, k]), d.tensor([k])], [], {}, lambda x, i, a: [torch.mv(x[0], x[1])]


@op("dot", 30)
def _dot(d):
    n = d.dim()
    return [d.tensor([n]), d.tensor([n])], [], {}, lambda x, i, a: [torch.dot(x[0], x[1])]


@op("outer", 30)
def _outer(d):
    return [d.tensor([d.dim()]), d.tensor([d.dim()])], [], {}, lambda x, i, a: [torch.outer(x[0], x[1])]


@op("powScalarBase", 40)
def _pow_scalar_base(d):
    base = d.rng.choice([2.0, 0.5, 0.0, 1.0, 3.5, -2.0, math.e])
    return [d.tensor(d.shape())], [], {"base": base}, lambda x, i, a: [torch.pow(a["base"], x[0])]


@op("gelu", 50)
def _gelu(d):
    a = {"approximate": d.rng.choice(["none", "tanh"])}
    return [d.tensor(d.shape())], [], a, lambda x, i, a: [F.gelu(x[0], approximate=a["approximate"])]


@op("layerNorm", 60, edges=False)
def _layer_norm(d):
    shape = d.shape(d.rng.randint(1, 3))
    count = d.rng.randint(1, len(shape))
    normalized = shape[len(shape) - count:]
    a = {"normalizedShape": normalized, "eps": d.rng.choice([1e-5, 1e-3, 0.5]),
         "affine": d.rng.random() < 0.6, "bias": d.rng.random() < 0.7}
    xs = [d.tensor(shape)]
    if a["affine"]:
        xs.append(d.tensor(normalized))
        if a["bias"]:
            xs.append(d.tensor(normalized))

    def run(x, i, a):
        w = x[1] if a["affine"] else None
        b = x[2] if a["affine"] and a["bias"] else None
        return [F.layer_norm(x[0], a["normalizedShape"], w, b, a["eps"])]

    return xs, [], a, run


@op("maskedFill", 30)
def _masked_fill(d):
    shape = d.shape()
    mask = [shape, [d.rng.randint(0, 1) for _ in range(math.prod(shape))]]
    return ([d.tensor(shape)], [mask], {"value": d.value()},
            lambda x, i, a: [x[0].masked_fill(i[0].bool(), a["value"])])


@op("scaledDotProductAttention", 50, edges=False)
def _sdpa(d):
    batch = d.shape(d.rng.randint(0, 2), allow_empty=False, max_rank=2)
    lq, lk, e, ev = d.rng.randint(1, 3), d.rng.randint(1, 3), d.rng.randint(1, 3), d.rng.randint(1, 3)
    a = {"isCausal": d.rng.random() < 0.4, "scale": d.rng.choice([None, 0.5])}
    xs = [d.tensor(batch + [lq, e]), d.tensor(batch + [lk, e]), d.tensor(batch + [lk, ev])]
    return xs, [], a, lambda x, i, a: [F.scaled_dot_product_attention(x[0], x[1], x[2], is_causal=a["isCausal"],
                                                                      scale=a["scale"])]


# ----------------------------------------------------------------------------------------------
# Shapes


@op("reshape", 30)
def _reshape(d):
    shape = d.shape()
    n = math.prod(shape)
    target = [n] if n == 0 else []
    rest = n
    while rest > 1 and len(target) < 3:
        f = d.rng.choice([f for f in range(1, rest + 1) if rest % f == 0])
        target.append(f)
        rest //= f
    if rest > 1:
        target.append(rest)
    if target and n > 0 and d.rng.random() < 0.4:
        target[d.rng.randrange(len(target))] = -1
    return [d.tensor(shape)], [], {"shape": target}, lambda x, i, a: [x[0].reshape(a["shape"])]


@op("permute", 30)
def _permute(d):
    shape = d.shape()
    order = list(range(len(shape)))
    d.rng.shuffle(order)
    return [d.tensor(shape)], [], {"order": order}, lambda x, i, a: [x[0].permute(a["order"])]


@op("transposed", 30)
def _transposed(d):
    shape = d.shape(d.rng.randint(1, 3))
    a = {"a0": d.axis(len(shape)), "a1": d.axis(len(shape))}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].transpose(a["a0"], a["a1"])]


@op("squeeze", 40)
def _squeeze(d):
    shape = d.shape()
    a = {"axes": d.axes(len(shape))}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].squeeze(tuple(a["axes"]))]


@op("squeezeAll", 20)
def _squeeze_all(d):
    return [d.tensor(d.shape())], [], {}, lambda x, i, a: [x[0].squeeze()]


@op("unsqueeze", 30)
def _unsqueeze(d):
    shape = d.shape()
    a = {"axis": d.rng.randint(-len(shape) - 1, len(shape))}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].unsqueeze(a["axis"])]


@op("flatten", 30)
def _flatten(d):
    shape = d.shape()
    r = max(len(shape), 1)
    s = d.rng.randint(0, r - 1)
    e = d.rng.randint(s, r - 1)
    a = {"start": s - r if d.rng.random() < 0.3 else s, "end": e - r if d.rng.random() < 0.3 else e}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].flatten(a["start"], a["end"])]


@op("expand", 30)
def _expand(d):
    target = d.shape(d.rng.randint(0, 3))
    drop = d.rng.randint(0, len(target))
    shape = [1 if d.rng.random() < 0.5 else s for s in target[drop:]]
    return [d.tensor(shape)], [], {"shape": target}, lambda x, i, a: [x[0].expand(a["shape"])]


@op("cat", 40)
def _cat(d):
    shape = d.shape(d.rng.randint(1, 3))
    axis = d.axis(len(shape))
    xs = []
    for _ in range(d.rng.randint(1, 3)):
        s = list(shape)
        s[axis] = d.dim()
        xs.append(d.tensor(s))
    return xs, [], {"axis": axis}, lambda x, i, a: [torch.cat(x, a["axis"])]


@op("stack", 40)
def _stack(d):
    shape = d.shape()
    xs = [d.tensor(shape) for _ in range(d.rng.randint(1, 3))]
    a = {"axis": d.rng.randint(-len(shape) - 1, len(shape))}
    return xs, [], a, lambda x, i, a: [torch.stack(x, a["axis"])]


@op("split", 40)
def _split(d):
    shape = d.shape(d.rng.randint(1, 3))
    axis = d.axis(len(shape))
    if d.rng.random() < 0.5:
        a = {"axis": axis, "size": d.rng.randint(1, 3)}
        return [d.tensor(shape)], [], a, lambda x, i, a: list(torch.split(x[0], a["size"], a["axis"]))
    sizes, left = [], shape[axis]
    while left > 0:
        sizes.append(d.rng.randint(0, left))
        left -= sizes[-1]
    sizes.append(0) if d.rng.random() < 0.2 else None
    a = {"axis": axis, "sizes": sizes}
    return [d.tensor(shape)], [], a, lambda x, i, a: list(torch.split(x[0], a["sizes"], a["axis"]))


@op("chunk", 30)
def _chunk(d):
    shape = d.shape(d.rng.randint(1, 3))
    a = {"axis": d.axis(len(shape)), "chunks": d.rng.randint(1, 4)}
    return [d.tensor(shape)], [], a, lambda x, i, a: list(torch.chunk(x[0], a["chunks"], a["axis"]))


@op("narrow", 30)
def _narrow(d):
    shape = d.shape(d.rng.randint(1, 3))
    axis = d.axis(len(shape))
    start = d.rng.randint(0, shape[axis])
    a = {"axis": axis, "start": start, "length": d.rng.randint(0, shape[axis] - start)}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].narrow(a["axis"], a["start"], a["length"])]


@op("select", 30)
def _select(d):
    shape = d.shape(d.rng.randint(1, 3), allow_empty=False)
    axis = d.axis(len(shape))
    a = {"axis": axis, "index": d.rng.randint(-shape[axis], shape[axis] - 1)}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].select(a["axis"], a["index"])]


@op("unbind", 30)
def _unbind(d):
    shape = d.shape(d.rng.randint(1, 3))
    a = {"axis": d.axis(len(shape))}
    return [d.tensor(shape)], [], a, lambda x, i, a: list(torch.unbind(x[0], a["axis"]))


@op("flip", 30)
def _flip(d):
    shape = d.shape()
    return [d.tensor(shape)], [], {"axes": d.axes(len(shape))}, lambda x, i, a: [x[0].flip(a["axes"])]


@op("roll", 40)
def _roll(d):
    shape = d.shape()
    if d.rng.random() < 0.3 or not shape:
        a = {"shifts": [d.rng.randint(-5, 5)], "axes": []}
        return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].roll(a["shifts"])]
    axes = d.axes(len(shape), allow_empty_list=False) or [0]
    a = {"shifts": [d.rng.randint(-5, 5) for _ in axes], "axes": axes}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].roll(a["shifts"], a["axes"])]


@op("repeat", 30)
def _repeat(d):
    shape = d.shape()
    counts = [d.rng.randint(0, 2) if d.rng.random() < 0.1 else d.rng.randint(1, 3)
              for _ in range(len(shape) + d.rng.randint(0, 1))]
    return [d.tensor(shape)], [], {"counts": counts}, lambda x, i, a: [x[0].repeat(a["counts"])]


@op("tile", 30)
def _tile(d):
    shape = d.shape()
    counts = [d.rng.randint(1, 3) for _ in range(d.rng.randint(1, max(len(shape), 1) + 1))]
    return [d.tensor(shape)], [], {"counts": counts}, lambda x, i, a: [x[0].tile(a["counts"])]


@op("movedim", 30)
def _movedim(d):
    shape = d.shape(d.rng.randint(1, 3))
    count = d.rng.randint(1, len(shape))
    a = {"source": d.rng.sample(range(len(shape)), count), "destination": d.rng.sample(range(len(shape)), count)}
    return [d.tensor(shape)], [], a, lambda x, i, a: [torch.movedim(x[0], a["source"], a["destination"])]


@op("unflatten", 30)
def _unflatten(d):
    shape = d.shape(d.rng.randint(1, 3), allow_empty=False)
    axis = d.axis(len(shape))
    n = shape[axis]
    sizes = [f for f in (1, 2, 3, 4) if n % f == 0]
    first = d.rng.choice(sizes)
    a = {"axis": axis, "sizes": [first, n // first] if d.rng.random() < 0.6 else [first, -1]}
    return [d.tensor(shape)], [], a, lambda x, i, a: [x[0].unflatten(a["axis"], a["sizes"])]


def _triangle(d, fn):
    shape = d.shape(d.rng.randint(2, 3))
    a = {"diagonal": d.rng.randint(-3, 3)}
    return [d.tensor(shape)], [], a, lambda x, i, a: [fn(x[0], a["diagonal"])]


op("tril", 30)(lambda d: _triangle(d, torch.tril))
op("triu", 30)(lambda d: _triangle(d, torch.triu))


# ----------------------------------------------------------------------------------------------
# Indexing


def _index_values(d, shape, size):
    return [list(shape), [d.rng.randint(0, size - 1) for _ in range(math.prod(shape))]]


@op("gather", 60)
def _gather(d):
    shape = d.shape(allow_empty=False)
    axis = d.axis(len(shape))
    if len(shape) == 0:
        ishape = d.rng.choice([[], [1], [2]])
        size = 1
    else:
        ishape = [d.rng.randint(0, s) if k != axis else d.rng.randint(0, 3) for k, s in enumerate(shape)]
        size = shape[axis]
    a = {"axis": axis}
    return ([d.tensor(shape)], [_index_values(d, ishape, size)], a,
            lambda x, i, a: [torch.gather(x[0], a["axis"], i[0])])


@op("scatterAdd", 60)
def _scatter_add(d):
    shape = d.shape(allow_empty=False)
    axis = d.axis(len(shape))
    if len(shape) == 0:
        ishape = d.rng.choice([[], [1], [2]])
        sshape, size = list(ishape), 1
    else:
        ishape = [d.rng.randint(0, s) if k != axis else d.rng.randint(0, 3) for k, s in enumerate(shape)]
        sshape = list(ishape)  # a larger source breaks PyTorch 2.15's ScatterAddBackward
        size = shape[axis]
    a = {"axis": axis}
    return ([d.tensor(shape), d.tensor(sshape)], [_index_values(d, ishape, size)], a,
            lambda x, i, a: [x[0].scatter_add(a["axis"], i[0], x[1])])


@op("indexSelect", 50)
def _index_select(d):
    shape = d.shape(allow_empty=False)
    axis = d.axis(len(shape))
    if len(shape) == 0:
        ishape, size = d.rng.choice([[], [1]]), 1
    else:
        ishape, size = d.rng.choice([[], [d.rng.randint(0, 4)]]), shape[axis]
    return ([d.tensor(shape)], [_index_values(d, ishape, size)], {"axis": axis},
            lambda x, i, a: [x[0].index_select(a["axis"], i[0])])


@op("indexAdd", 50)
def _index_add(d):
    shape = d.shape(allow_empty=False)
    axis = d.axis(len(shape))
    if len(shape) == 0:
        ishape, size, sshape = d.rng.choice([[], [1]]), 1, []
    else:
        ishape, size = d.rng.choice([[], [d.rng.randint(0, 4)]]), shape[axis]
        sshape = list(shape)
        sshape[axis] = math.prod(ishape)
    return ([d.tensor(shape), d.tensor(sshape)], [_index_values(d, ishape, size)], {"axis": axis},
            lambda x, i, a: [x[0].index_add(a["axis"], i[0], x[1])])


# ----------------------------------------------------------------------------------------------
# Layers


@op("embedding", 50, edges=False)
def _embedding(d):
    rows, width = d.rng.randint(1, 5), d.dim()
    padding = d.rng.choice([None, None, d.rng.randint(-rows, rows - 1)])
    ishape = d.shape(d.rng.randint(0, 2))
    return ([d.tensor([rows, width])], [_index_values(d, ishape, rows)], {"paddingIndex": padding},
            lambda x, i, a: [F.embedding(i[0], x[0], padding_idx=a["paddingIndex"])])


RECURRENT = {"RNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}


@op("recurrent", 60, edges=False)
def _recurrent(d):
    kind = d.rng.choice(list(RECURRENT))
    a = {
        "kind": kind,
        "inputSize": d.rng.randint(1, 3),
        "hiddenSize": d.rng.randint(1, 3),
        "layers": d.rng.randint(1, 2),
        "bias": d.rng.random() < 0.8,
        "batchFirst": d.rng.random() < 0.5,
        "bidirectional": d.rng.random() < 0.4,
        "nonlinearity": d.rng.choice(["tanh", "relu"]) if kind == "RNN" else "tanh",
        "unbatched": d.rng.random() < 0.25,
        "hasState": d.rng.random() < 0.5,
    }
    kwargs = dict(num_layers=a["layers"], bias=a["bias"], batch_first=a["batchFirst"],
                  bidirectional=a["bidirectional"])
    if kind == "RNN":
        kwargs["nonlinearity"] = a["nonlinearity"]
    module = RECURRENT[kind](a["inputSize"], a["hiddenSize"], **kwargs)
    names = [n for n, _ in module.named_parameters()]
    a["parameters"] = names
    steps, batch = d.rng.randint(1, 3), d.rng.randint(1, 2)
    xshape = [steps, a["inputSize"]] if a["unbatched"] else (
        [batch, steps, a["inputSize"]] if a["batchFirst"] else [steps, batch, a["inputSize"]])
    layers = a["layers"] * (2 if a["bidirectional"] else 1)
    sshape = [layers, a["hiddenSize"]] if a["unbatched"] else [layers, batch, a["hiddenSize"]]
    xs = [d.tensor(xshape, low=-2, high=2)]
    if a["hasState"]:
        xs += [d.tensor(sshape, low=-1, high=1) for _ in range(2 if kind == "LSTM" else 1)]
    xs += [d.tensor(list(p.shape), low=-1, high=1) for _, p in module.named_parameters()]

    def run(x, i, a):
        m = RECURRENT[a["kind"]](a["inputSize"], a["hiddenSize"], **kwargs).to(x[0].dtype)
        count = len(a["parameters"])
        params, state = dict(zip(a["parameters"], x[-count:])), x[1:len(x) - count]
        if a["kind"] == "LSTM":
            out, (h, c) = torch.func.functional_call(m, params, (x[0], (state[0], state[1]) if state else None))
            return [out, h, c]
        out, h = torch.func.functional_call(m, params, (x[0], state[0] if state else None))
        return [out, h]

    return xs, [], a, run


CELLS = {"RNNCell": torch.nn.RNNCell, "LSTMCell": torch.nn.LSTMCell, "GRUCell": torch.nn.GRUCell}


@op("recurrentCell", 50, edges=False)
def _cell(d):
    kind = d.rng.choice(list(CELLS))
    a = {"kind": kind, "inputSize": d.rng.randint(1, 3), "hiddenSize": d.rng.randint(1, 3),
         "bias": d.rng.random() < 0.8, "unbatched": d.rng.random() < 0.25, "hasState": d.rng.random() < 0.6,
         "nonlinearity": d.rng.choice(["tanh", "relu"]) if kind == "RNNCell" else "tanh"}
    kwargs = dict(bias=a["bias"])
    if kind == "RNNCell":
        kwargs["nonlinearity"] = a["nonlinearity"]
    module = CELLS[kind](a["inputSize"], a["hiddenSize"], **kwargs)
    a["parameters"] = [n for n, _ in module.named_parameters()]
    batch = d.rng.randint(1, 3)
    lead = [] if a["unbatched"] else [batch]
    xs = [d.tensor(lead + [a["inputSize"]], low=-2, high=2)]
    if a["hasState"]:
        xs += [d.tensor(lead + [a["hiddenSize"]], low=-1, high=1) for _ in range(2 if kind == "LSTMCell" else 1)]
    xs += [d.tensor(list(p.shape), low=-1, high=1) for _, p in module.named_parameters()]

    def run(x, i, a):
        m = CELLS[a["kind"]](a["inputSize"], a["hiddenSize"], **kwargs).to(x[0].dtype)
        count = len(a["parameters"])
        params, state = dict(zip(a["parameters"], x[-count:])), x[1:len(x) - count]
        if a["kind"] == "LSTMCell":
            return list(torch.func.functional_call(m, params, (x[0], (state[0], state[1]) if state else None)))
        return [torch.func.functional_call(m, params, (x[0], state[0] if state else None))]

    return xs, [], a, run


# ----------------------------------------------------------------------------------------------
# Losses


REDUCTIONS = ["mean", "sum", "none"]


def _class_input(d):
    classes = d.rng.randint(1, 4)
    layout = d.rng.choice(["c", "nc", "nc", "ncd"])
    n, extra = d.rng.randint(0, 3) if d.rng.random() < 0.1 else d.rng.randint(1, 3), d.rng.randint(1, 2)
    shape = {"c": [classes], "nc": [n, classes], "ncd": [n, classes, extra]}[layout]
    tshape = {"c": [], "nc": [n], "ncd": [n, extra]}[layout]
    return classes, shape, tshape


@op("crossEntropy", 120)
def _cross_entropy(d):
    classes, shape, tshape = _class_input(d)
    ignore = d.rng.choice([-100, d.rng.randint(0, classes - 1)])
    targets = [d.rng.choice(list(range(classes)) + [ignore]) for _ in range(math.prod(tshape))]
    a = {"ignoreIndex": ignore, "reduction": d.rng.choice(REDUCTIONS),
         "labelSmoothing": d.rng.choice([0.0, 0.0, 0.1, 0.25, 1.0]), "hasWeight": d.rng.random() < 0.4}
    xs = [d.tensor(shape)] + ([d.positive([classes])] if a["hasWeight"] else [])

    def run(x, i, a):
        return [F.cross_entropy(x[0], i[0], weight=x[1] if a["hasWeight"] else None, ignore_index=a["ignoreIndex"],
                                reduction=a["reduction"], label_smoothing=a["labelSmoothing"])]

    return xs, [[tshape, targets]], a, run


@op("crossEntropyProbabilities", 80)
def _cross_entropy_probabilities(d):
    classes, shape, _ = _class_input(d)
    a = {"reduction": d.rng.choice(REDUCTIONS), "labelSmoothing": d.rng.choice([0.0, 0.0, 0.1, 0.5]),
         "hasWeight": d.rng.random() < 0.4}
    xs = [d.tensor(shape), d.unit(shape)] + ([d.positive([classes])] if a["hasWeight"] else [])

    def run(x, i, a):
        return [F.cross_entropy(x[0], x[1], weight=x[2] if a["hasWeight"] else None,
                                reduction=a["reduction"], label_smoothing=a["labelSmoothing"])]

    return xs, [], a, run


@op("nllLoss", 80)
def _nll(d):
    classes, shape, tshape = _class_input(d)
    ignore = d.rng.choice([-100, d.rng.randint(0, classes - 1)])
    targets = [d.rng.choice(list(range(classes)) + [ignore]) for _ in range(math.prod(tshape))]
    a = {"ignoreIndex": ignore, "reduction": d.rng.choice(REDUCTIONS), "hasWeight": d.rng.random() < 0.4}
    xs = [d.tensor(shape)] + ([d.positive([classes])] if a["hasWeight"] else [])

    def run(x, i, a):
        return [F.nll_loss(x[0], i[0], weight=x[1] if a["hasWeight"] else None, ignore_index=a["ignoreIndex"],
                           reduction=a["reduction"])]

    return xs, [[tshape, targets]], a, run


@op("mseLoss", 50)
def _mse(d):
    shape = d.shape()
    a = {"reduction": d.rng.choice(REDUCTIONS)}
    return [d.tensor(shape), d.tensor(shape)], [], a, lambda x, i, a: [F.mse_loss(x[0], x[1], reduction=a["reduction"])]


@op("bceWithLogits", 80)
def _bce(d):
    shape = d.shape()
    a = {"reduction": d.rng.choice(REDUCTIONS), "hasWeight": d.rng.random() < 0.4,
         "hasPosWeight": d.rng.random() < 0.4 and len(shape) > 0}
    # With pos_weight, finite logits: at -inf PyTorch's target gradient logσ(-x) - pw·logσ(x) is
    # +inf where this library's -x - (pw - 1)·logσ(x) is NaN; not matched yet.
    d.finite = a["hasPosWeight"]
    xs = [d.tensor(shape), d.unit(shape)]
    if a["hasWeight"]:
        xs.append(d.positive(shape))
    if a["hasPosWeight"]:
        xs.append(d.positive(shape[-1:]))

    def run(x, i, a):
        w = x[2] if a["hasWeight"] else None
        pw = x[-1] if a["hasPosWeight"] else None
        return [F.binary_cross_entropy_with_logits(x[0], x[1], weight=w, pos_weight=pw, reduction=a["reduction"])]

    return xs, [], a, run


# ----------------------------------------------------------------------------------------------
# Optimizers, schedulers, clipping (outputs only)

OPTIMIZER_STEPS = 30


def _optimizer_options(d, kind):
    r = d.rng
    lr = r.choice([0.01, 0.05, 0.1, 0.3])
    wd = r.choice([0.0, 0.0, 0.01, 0.1])
    maximize = r.random() < 0.2
    if kind == "SGD":
        momentum = r.choice([0.0, 0.5, 0.9])
        nesterov = momentum > 0 and r.random() < 0.4
        return dict(lr=lr, momentum=momentum, dampening=0.0 if nesterov else r.choice([0.0, 0.0, 0.3]),
                    weight_decay=wd, nesterov=nesterov, maximize=maximize)
    if kind in ("Adam", "AdamW"):
        o = dict(lr=lr / 5, betas=[r.choice([0.8, 0.9, 0.0]), r.choice([0.99, 0.999, 0.5])],
                 eps=r.choice([1e-8, 1e-3]), weight_decay=wd if kind == "Adam" else r.choice([0.0, 0.01, 0.5]),
                 amsgrad=r.random() < 0.4, maximize=maximize)
        if kind == "Adam":
            o["decoupled_weight_decay"] = r.random() < 0.3
        return o
    if kind == "Adagrad":
        return dict(lr=lr, lr_decay=r.choice([0.0, 0.0, 0.05]), weight_decay=wd,
                    initial_accumulator_value=r.choice([0.0, 0.0, 0.5]), eps=r.choice([1e-10, 1e-3]),
                    maximize=maximize)
    return dict(lr=lr / 5, alpha=r.choice([0.99, 0.9, 0.5]), eps=r.choice([1e-8, 1e-3]), weight_decay=wd,
                momentum=r.choice([0.0, 0.0, 0.5]), centered=r.random() < 0.4, maximize=maximize)


def _optimizer_loss(x):
    """The training objective of the optimizer cases, over parameters p and q with coefficients c, e."""
    p, q, c, e = x
    return (0.5 * c * p * p - p).sum() + (e * q * q * q).sum() / 3 + (p.sum() * q.sum()) / 4


@op("optimizer", 200, grad=False, edges=False, redraw_unstable=True)
def _optimizer(d):
    kind = d.rng.choice(["SGD", "Adam", "AdamW", "Adagrad", "RMSprop"])
    n = d.rng.randint(1, 4)
    a = {"kind": kind, "options": _optimizer_options(d, kind), "secondGroupLR": d.rng.choice([None, 0.02])}
    xs = [d.tensor([n], low=-2, high=2), d.tensor([2, 2], low=-1, high=1), d.positive([n]), d.positive([2, 2])]

    def run(x, i, a):
        p, q = x[0].detach().clone().requires_grad_(), x[1].detach().clone().requires_grad_()
        c, e = x[2].detach(), x[3].detach()
        options = dict(a["options"])
        if "betas" in options:
            options["betas"] = tuple(options["betas"])
        groups = [{"params": [p]}, {"params": [q]}]
        if a["secondGroupLR"] is not None:
            groups[1]["lr"] = a["secondGroupLR"]
        opt = getattr(torch.optim, a["kind"])(groups, foreach=False, **options)
        for _ in range(OPTIMIZER_STEPS):
            opt.zero_grad()
            _optimizer_loss([p, q, c, e]).backward()
            opt.step()
        return [p.detach(), q.detach()]

    return xs, [], a, run


LAMBDAS = {
    "inverse": lambda epoch: 1.0 / (1.0 + 0.3 * epoch),
    "power": lambda epoch: 0.95 ** epoch,
    "warmup": lambda epoch: min(1.0, (epoch + 1) / 4),
}
SCHEDULER_EPOCHS = 30


def _scheduler_spec(d):
    r = d.rng
    kind = r.choice(["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR", "ReduceLROnPlateau",
                     "LinearLR", "ConstantLR", "MultiplicativeLR", "PolynomialLR"])
    if kind == "LinearLR":
        return {"type": kind, "start_factor": r.choice([0.25, 1 / 3, 1.0]), "end_factor": r.choice([1.0, 0.5, 0.1]),
                "total_iters": r.randint(1, 8)}
    if kind == "ConstantLR":
        return {"type": kind, "factor": r.choice([0.25, 0.5, 1 / 3]), "total_iters": r.randint(1, 8)}
    if kind == "MultiplicativeLR":
        return {"type": kind, "lr_lambda": r.choice(list(LAMBDAS))}
    if kind == "PolynomialLR":
        return {"type": kind, "total_iters": r.randint(1, 12), "power": r.choice([1.0, 2.0, 0.5])}
    if kind == "StepLR":
        return {"type": kind, "step_size": r.randint(1, 6), "gamma": r.choice([0.1, 0.5, 0.9])}
    if kind == "MultiStepLR":
        return {"type": kind, "milestones": sorted(r.randint(1, 25) for _ in range(r.randint(1, 4))),
                "gamma": r.choice([0.1, 0.5])}
    if kind == "ExponentialLR":
        return {"type": kind, "gamma": r.choice([0.9, 0.95, 1.05])}
    if kind == "CosineAnnealingLR":
        return {"type": kind, "T_max": r.randint(1, 12), "eta_min": r.choice([0.0, 0.001, 0.01])}
    if kind == "LambdaLR":
        return {"type": kind, "lr_lambda": r.choice(list(LAMBDAS))}
    return {"type": kind, "mode": r.choice(["min", "max"]), "factor": r.choice([0.1, 0.5]),
            "patience": r.randint(0, 3), "threshold": r.choice([1e-4, 0.1]),
            "threshold_mode": r.choice(["rel", "abs"]), "cooldown": r.randint(0, 2),
            "min_lr": r.choice([0.0, 0.001]), "eps": r.choice([1e-8, 1e-3])}


@op("schedulers", 200, grad=False, edges=False)
def _schedulers(d):
    chain = [_scheduler_spec(d) for _ in range(d.rng.choice([1, 1, 2, 2, 3]))]
    for k, spec in enumerate(chain):
        spec["start"] = 0 if k == 0 or d.rng.random() < 0.5 else d.rng.randint(1, 12)
    a = {"lrs": [d.rng.choice([0.1, 0.5, 1.0]) for _ in range(d.rng.randint(1, 2))], "chain": chain,
         "metrics": [d.rng.choice([1.0, 0.9, 0.5, 1.5, 2.0]) for _ in range(SCHEDULER_EPOCHS)]}

    def run(x, i, a):
        params = [torch.zeros(1, requires_grad=True) for _ in a["lrs"]]
        opt = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, a["lrs"])])
        active, rates = [], []
        for epoch in range(SCHEDULER_EPOCHS + 1):
            for spec in a["chain"]:
                if spec["start"] == epoch:
                    args = {k: v for k, v in spec.items() if k not in ("type", "start")}
                    if spec["type"] in ("LambdaLR", "MultiplicativeLR"):
                        args["lr_lambda"] = LAMBDAS[args["lr_lambda"]]
                    active.append(getattr(torch.optim.lr_scheduler, spec["type"])(opt, **args))
            rates.append([g["lr"] for g in opt.param_groups])
            if epoch == SCHEDULER_EPOCHS:
                break
            opt.step()
            for s in active:
                if isinstance(s, torch.optim.lr_scheduler.ReduceLROnPlateau):
                    s.step(a["metrics"][epoch])
                else:
                    s.step()
        return [torch.tensor(rates, dtype=torch.float64)]

    return [], [], a, run


NORM_TYPES = [2.0, 1.0, 3.0, 0.5, 0.0, "inf", "-inf"]


@op("clipGradNorm", 150, grad=False)
def _clip_grad_norm(d):
    a = {"maxNorm": d.rng.choice([0.5, 1.0, 5.0, 100.0]), "normType": d.rng.choice(NORM_TYPES)}
    # PyTorch refuses the infinity norms of an empty gradient (no identity).
    grads = [d.tensor(d.shape(max_rank=2, allow_empty=a["normType"] not in ("inf", "-inf")))
             for _ in range(d.rng.randint(1, 3))]

    def run(x, i, a):
        params = [torch.zeros_like(g, requires_grad=True) for g in x]
        for p, g in zip(params, x):
            p.grad = g.detach().clone()
        norm_type = float(a["normType"]) if isinstance(a["normType"], str) else a["normType"]
        total = torch.nn.utils.clip_grad_norm_(params, a["maxNorm"], norm_type, foreach=False)
        return [total] + [p.grad for p in params]

    return grads, [], a, run


@op("clipGradValue", 50, grad=False)
def _clip_grad_value(d):
    grads = [d.tensor(d.shape(max_rank=2)) for _ in range(d.rng.randint(1, 3))]
    a = {"clipValue": d.rng.choice([0.0, 0.5, 1.0, 2.5])}

    def run(x, i, a):
        params = [torch.zeros_like(g, requires_grad=True) for g in x]
        for p, g in zip(params, x):
            p.grad = g.detach().clone()
        torch.nn.utils.clip_grad_value_(params, a["clipValue"], foreach=False)
        return [p.grad for p in params]

    return grads, [], a, run


# Registered last, so that the draws of every case above stay as they were.
@op("logcumsumexp", 60)
def _logcumsumexp(d):
    shape = d.shape()
    return [d.tensor(shape, low=-8.0, high=8.0)], [], {"axis": d.axis(len(shape))}, lambda x, i, a: [x[0].logcumsumexp(a["axis"])]


# ----------------------------------------------------------------------------------------------
# Running and encoding


def run_case(entry, x, i, a, run, dtype):
    leaves = [t(spec, dtype).requires_grad_(entry["grad"] and not isinstance(spec, Const)) for spec in x]
    ints = [torch.tensor(v, dtype=torch.int64).reshape(s) for s, v in i]
    outputs = run(leaves, ints, a)
    grads = None
    if entry["grad"]:
        floats = [(k, o) for k, o in enumerate(outputs) if o.is_floating_point() and o.requires_grad]
        if floats:
            weights = [torch.tensor([STEP_WEIGHTS(j, k) for j in range(o.numel())], dtype=dtype).reshape(o.shape)
                       for k, o in floats]
            torch.autograd.backward([o for _, o in floats], weights)
        grads = [leaf.grad for leaf in leaves]
    return [o.detach() for o in outputs], grads


def number(v, digits):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    r = float(f"{v:.{digits}g}")
    return int(r) if r == int(r) and abs(r) < 1e15 and not (r == 0 and math.copysign(1, r) < 0) else r


def encode(tensor, digits):
    if tensor is None:
        return None
    flat = tensor.reshape(-1).tolist()
    if tensor.is_floating_point():
        flat = [number(v, digits) for v in flat]
    return [list(tensor.shape), flat]


def plain(options):
    """The options as JSON: non-finite numbers as the strings "nan", "inf", "-inf"."""
    if isinstance(options, dict):
        return {k: plain(v) for k, v in options.items()}
    if isinstance(options, list):
        return [plain(v) for v in options]
    if isinstance(options, float) and not math.isfinite(options):
        return number(options, 17)
    return options


def close(a, b, tolerance=2e-5):
    """Whether float32 results are within `tolerance` (relative above 1) of the float64 ones."""
    if (a is None) != (b is None):
        return False
    if a is None:
        return True
    if a.shape != b.shape:
        return False
    if not a.is_floating_point():
        return torch.equal(a, b)
    a, b = a.double(), b.double()
    same = (a == b) | (torch.isnan(a) & torch.isnan(b))
    diff = (a - b).abs() <= tolerance * torch.clamp(b.abs(), min=1)
    return bool((same | diff).all())


def main():
    rng = random.Random(SEED)
    cases, redrawn = [], 0
    for name, entry in OPS.items():
        for _ in range(entry["cases"]):
            while True:
                x, i, a, run = entry["sample"](Draw(rng, entry["edges"]))
                o64, d64 = run_case(entry, x, i, a, run, torch.float64)
                o32, d32 = run_case(entry, x, i, a, run, torch.float32)
                if not entry["redraw_unstable"] or all(close(p, q, 2e-5) for p, q in zip(o32, o64)):
                    break
                redrawn += 1
            case = {"op": name, "a": plain(a), "x": x, "i": i, "o": [encode(o, 13) for o in o64]}
            constants = [k for k, spec in enumerate(x) if isinstance(spec, Const)]
            if constants:
                case["c"] = constants
            if d64 is not None:
                case["d"] = [encode(g, 13) for g in d64]
            if not all(close(p, q) for p, q in zip(o32, o64)) or (
                    d64 is not None and not all(close(p, q) for p, q in zip(d32, d64))):
                case["o32"] = [encode(o, 8) for o in o32]
                if d32 is not None:
                    case["d32"] = [encode(g, 8) for g in d32]
            cases.append(case)
    for case in cases:
        case["x"] = [[s, [number(v, 17) for v in vs]] for s, vs in case["x"]]
    out = Path(__file__).with_name("opinfo.json")
    text = json.dumps({"torch": torch.__version__.split("+")[0], "seed": SEED, "cases": cases},
                      separators=(",", ":"))
    out.write_text(text.replace('{"op"', '\n{"op"') + "\n")
    print(f"{len(cases)} cases ({redrawn} unstable ones redrawn), {len(OPS)} ops, "
          f"{out.stat().st_size / 1e6:.2f} MB -> {out}")


if __name__ == "__main__":
    main()
