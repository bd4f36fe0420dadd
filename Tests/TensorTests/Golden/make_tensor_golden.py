"""Writes tensor_golden.json: inputs and PyTorch's outputs for the Tensor library's tests.

Run from the repository root with the PyTorch environment:

    .venv-torch/bin/python Tests/TensorTests/Golden/make_tensor_golden.py

Sections (all floating-point values in float64 unless noted):
  forward    case -> inputs and torch's outputs (index outputs as floats);
  gradients  case -> inputs and torch's gradients of a scalar loss w.r.t. each input;
  uniform    torch.Generator().manual_seed(s) + torch.empty(n).uniform_(a, b), float32 and float64;
  normal     successive torch.empty(n).normal_(mean, std) calls on one generator;
  printing   case -> how to build a tensor, and repr(tensor).
The Swift tests (GoldenForwardTests, GoldenGradientTests, RandomTests, PrintingTests) mirror
each case by name.
"""
import json
import math
import pathlib

import torch

torch.set_default_dtype(torch.float32)
_gen = torch.Generator().manual_seed(20240601)


def rand(*shape, low=-1.0, high=1.0):
    """Uniform float64 inputs from a fixed generator."""
    return torch.empty(*shape, dtype=torch.float64).uniform_(low, high, generator=_gen)


def ints(*shape, high):
    """Integer inputs in [0, high), stored as float64."""
    return torch.randint(0, high, shape, generator=_gen).to(torch.float64)


def encode(t):
    t = t.detach()
    values = [v if math.isfinite(v) else str(v) for v in t.to(torch.float64).reshape(-1).tolist()]
    return {"shape": list(t.shape), "data": values}


def idx(t):
    return t.long()


# name -> (inputs, function of the inputs returning a tensor or a tuple of tensors)
FORWARD = {
    # Elementwise arithmetic with broadcasting.
    "add_broadcast": ([rand(2, 3), rand(3)], lambda a, b: a + b),
    "sub_broadcast": ([rand(2, 1, 3), rand(4, 1)], lambda a, b: a - b),
    "mul_broadcast": ([rand(3), rand(2, 3)], lambda a, b: a * b),
    "div_broadcast": ([rand(2, 3), rand(2, 1, low=0.5, high=2)], lambda a, b: a / b),
    "scalar_ops": ([rand(2, 3, low=0.5, high=2)], lambda a: (a + 2.5, 2.5 - a, a * -1.5, 3 / a, a / 4, -a)),
    "pow_tensor": ([rand(2, 3, low=0.5, high=2), rand(3)], lambda a, b: a.pow(b)),
    "pow_scalar": ([rand(2, 3, low=0.5, high=2)], lambda a: (a ** 2.5, a ** -1.0, a ** 3)),
    "maximum_minimum": ([torch.tensor([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]], dtype=torch.float64),
                         torch.tensor([1.0, -3.0, 4.0], dtype=torch.float64)],
                        lambda a, b: (torch.maximum(a, b), torch.minimum(a, b))),
    "unary": ([rand(2, 4, low=-3, high=3)],
              lambda a: (a.exp(), a.abs().log(), a.abs().sqrt(), a.abs(), a.tanh(), a.sigmoid(), a.relu(), a.square())),
    "sigmoid_extremes": ([torch.tensor([-800.0, -40.0, 0.0, 40.0, 800.0], dtype=torch.float64)], lambda a: a.sigmoid()),
    "clamp": ([rand(3, 4, low=-2, high=2)], lambda a: (a.clamp(-0.5, 0.75), a.clamp(min=0.1), a.clamp(max=-0.2))),
    "where": ([rand(2, 3), rand(3)], lambda a, b: torch.where(a > 0, a, b)),
    "nonfinite_propagation": ([torch.tensor([1.0, math.nan, -math.inf, math.inf, 0.0, -2.0], dtype=torch.float64),
                               torch.tensor([math.nan, 2.0, 1.0, -1.0, 0.0, math.inf], dtype=torch.float64)],
                              lambda a, b: (torch.maximum(a, b), torch.minimum(a, b), a.relu(), a.clamp(-1, 1), a.sigmoid(),
                                            a.abs(), a.exp(), a.tanh(), a + b, a * b, a.max(), a.min(), a.sum(),
                                            a.softmax(0), torch.where(a > 0, a, b))),
    # Reductions.
    "sum": ([rand(2, 3, 4)], lambda a: (a.sum(), a.sum(1), a.sum(1, keepdim=True), a.sum((0, 2)), a.sum((0, 2), keepdim=True), a.sum(-1))),
    "mean": ([rand(2, 3, 4)], lambda a: (a.mean(), a.mean(0), a.mean((1, 2), keepdim=True), a.mean(-2, keepdim=True))),
    "max_min_all": ([rand(3, 4)], lambda a: (a.max(), a.min())),
    "max_min_axis_ties": ([torch.tensor([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, -5.0, -5.0], [0.0, 4.0, 1.0, 4.0]], dtype=torch.float64)],
                          lambda a: (*a.max(1), *a.min(1), *a.max(0, keepdim=True), *a.min(-1, keepdim=True))),
    "argmax": ([rand(3, 4)], lambda a: (a.argmax(), a.argmax(1), a.argmax(0, keepdim=True), a.argmin(1))),
    "argmax_ties": ([torch.tensor([[2.0, 7.0, 7.0], [5.0, 5.0, 1.0]], dtype=torch.float64)], lambda a: (a.argmax(), a.argmax(1), a.argmin(0))),
    "logsumexp": ([rand(2, 3, 4, low=-3, high=3)],
                  lambda a: (a.logsumexp(1), a.logsumexp(-1, keepdim=True), a.logsumexp((0, 2)), a.logsumexp((0, 1), keepdim=True))),
    "logsumexp_large": ([torch.tensor([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1002.0]], dtype=torch.float64)],
                        lambda a: (a.logsumexp(1), a.logsumexp(0))),
    "softmax": ([rand(2, 3, 4, low=-3, high=3)], lambda a: (a.softmax(-1), a.softmax(0), a.log_softmax(1), a.log_softmax(-1))),
    "softmax_large": ([torch.tensor([[1000.0, 0.0, -1000.0], [500.0, 501.0, 502.0]], dtype=torch.float64)],
                      lambda a: (a.softmax(1), a.log_softmax(1), a.softmax(0), a.log_softmax(0))),
    # Matrix products.
    "matmul_1d_1d": ([rand(4), rand(4)], torch.matmul),
    "matmul_2d_2d": ([rand(3, 4), rand(4, 2)], torch.matmul),
    "matmul_1d_2d": ([rand(4), rand(4, 3)], torch.matmul),
    "matmul_2d_1d": ([rand(3, 4), rand(4)], torch.matmul),
    "matmul_batched_broadcast": ([rand(2, 1, 3, 4), rand(5, 4, 2)], torch.matmul),
    "matmul_3d_1d": ([rand(2, 3, 4), rand(4)], torch.matmul),
    "matmul_1d_3d": ([rand(4), rand(2, 4, 3)], torch.matmul),
    # Shape operations.
    "reshape_permute": ([rand(2, 3, 4)],
                        lambda a: (a.reshape(4, 6), a.reshape(-1, 2), a.permute(2, 0, 1), a.transpose(0, 2), a.flatten(1),
                                   a.unsqueeze(1), a.unsqueeze(-1), a[:, :1].squeeze(), a[:1].squeeze(0))),
    "matrix_transpose": ([rand(3, 2)], lambda a: a.T),
    "expand": ([rand(3, 1)], lambda a: (a.expand(2, 3, 4), a.expand(-1, 5))),
    "cat": ([rand(2, 3), rand(1, 3), rand(2, 2)],
            lambda a, b, c: (torch.cat([a, b], 0), torch.cat([a, c], 1), torch.cat([a, c, a], -1), torch.cat([a], 0))),
    "stack": ([rand(2, 3), rand(2, 3), rand(2, 3)],
              lambda a, b, c: (torch.stack([a, b, c], 0), torch.stack([a, b], 1), torch.stack([a, b, c], 2), torch.stack([a, c], -1))),
    "split": ([rand(5, 4)], lambda a: (*a.split(2, 0), *a.split([1, 3], 1), *a.split(3, -1))),
    "chunk": ([rand(5, 6)], lambda a: (*a.chunk(3, 0), *a.chunk(4, 1), *a.chunk(2, -1))),
    "narrow_select_unbind": ([rand(3, 4)], lambda a: (a.narrow(1, 1, 2), a.narrow(0, -2, 2), a.select(0, 1), a.select(1, -1), *a.unbind(1))),
    "indexing": ([rand(4, 5, 3)],
                 lambda a: (a[1], a[-1], a[1:3], a[:, 1:3], a[..., 0], a[None, 1], a[::2], a[1:-1], a[:, -2:], a[0, 1, 2],
                            a[:, 1::2, None], a[..., 1:, None], a[2:100], a[-100:2], a[3:1], a[:, 4, ::2])),
    "gather": ([rand(3, 4), torch.tensor([[0, 0, 3], [1, 2, 1]], dtype=torch.float64), torch.tensor([[2, 0, 1, 2]], dtype=torch.float64)],
               lambda a, i, j: (a.gather(1, idx(i)), a.gather(0, idx(j)), a.gather(-1, idx(i)))),
    "index_select": ([rand(4, 3), torch.tensor([3, 0, 3], dtype=torch.float64)],
                     lambda a, i: (a.index_select(0, idx(i)), a.index_select(1, idx(i) % 3))),
    "scatter_add": ([rand(3, 4), torch.tensor([[0, 2, 0, 1], [2, 2, 1, 0]], dtype=torch.float64), rand(2, 5)],
                    lambda a, i, s: (a.scatter_add(0, idx(i), s), a.scatter_add(1, idx(i) % 3, s))),
    "index_add": ([rand(4, 3), torch.tensor([1, 1, 3, 0, 1], dtype=torch.float64), rand(5, 3)],
                  lambda a, i, s: a.index_add(0, idx(i), s)),
}

# name -> (inputs, scalar loss)
GRADIENTS = {
    "mlp_logsoftmax": ([rand(3, 4), rand(4, 5), rand(5), rand(3, 5, low=0, high=1)],
                       lambda x, w, b, t: -(torch.log_softmax((x @ w + b).tanh(), dim=-1) * t).sum()),
    "broadcast_div_pow_max": ([rand(2, 1, 3), rand(4, 1, low=0.5, high=2)],
                              lambda a, b: (((a - b) / (b + 1)).pow(2) + torch.maximum(a, b * 0.3).exp()).mean()),
    "reductions": ([rand(3, 4, low=-2, high=2)],
                   lambda x: x.max(1).values.sum() + x.logsumexp(0).sum() + (x.clamp(-0.5, 0.5) * x).mean()
                   + torch.where(x > 0, x, x * x).sum() + x.softmax(0)[1].pow(3).sum()),
    "batched_matmul": ([rand(2, 1, 3, 4), rand(5, 4, 2)], lambda a, b: ((a @ b) ** 2).sum()),
    "shape_ops": ([rand(2, 3, 4), rand(2, 3, 4)],
                  lambda x, y: (torch.cat([x, y], 1)[:, 1:4].permute(2, 0, 1).reshape(4, -1).softmax(0)
                                * torch.stack([x, y], -1).sum(-1).reshape(4, 6)).sum()),
    "split_chunk": ([rand(6, 4)],
                    lambda x: sum((i + 1) * (p * p * p).sum() for i, p in enumerate(x.split([1, 2, 3])))
                    + sum((i + 1.5) * (p * p).sum() for i, p in enumerate(x.chunk(3, 1)))
                    + sum(p.tanh().sum() * (i + 1) for i, p in enumerate(x.unbind(0)))),
    "gather_index_select": ([rand(3, 5), torch.tensor([[4, 4, 0], [1, 2, 1], [3, 0, 0]], dtype=torch.float64),
                             torch.tensor([2, 0, 2, 1], dtype=torch.float64)],
                            lambda x, i, j: (x.gather(1, idx(i)) ** 2).sum() + x.index_select(0, idx(j)).exp().mean()),
    "scatter_index_add": ([rand(3, 4), rand(2, 4), torch.tensor([[0, 2, 0, 1], [2, 2, 1, 0]], dtype=torch.float64),
                           torch.tensor([1, 1], dtype=torch.float64)],
                          lambda a, s, i, j: (a.scatter_add(0, idx(i), s).tanh() * a.index_add(0, idx(j), s)).sum()),
    "indexing": ([rand(4, 5)], lambda x: (x[1:3, ::2] * x[0, :3] + x[1:3, -1, None]).sigmoid().sum() + x[None, 2].pow(2).sum()),
}

UNIFORM = [(seed, count, low, high) for seed in (0, 1, 42, 12345)
           for count, (low, high) in zip((1, 7, 100), ((0.0, 1.0), (-0.25, 0.25), (-3.0, 5.0)))]
UNIFORM += [(7, 40, -1 / math.sqrt(15), 1 / math.sqrt(15))]

NORMAL = [
    (0, [(16, 0.0, 1.0)]),
    (1, [(37, 0.5, 2.0)]),
    (2, [(3, 0.0, 1.0), (5, 1.0, 0.5), (20, 0.0, 1.0), (1, -1.0, 3.0), (2, 0.0, 1.0)]),
    (3, [(200, -2.0, 3.0)]),
    (4, [(48, 0.0, 0.02), (15, 0.0, 1.0)]),
]

# name -> (values or ("arange", n, scale), shape, dtype, requires_grad, op[, print options])
PRINTING = {
    "matrix_requires_grad": ([0.1, 0.2, 0.3, 0.4], [2, 2], "float32", True, None),
    "float64_vector": ([1.5, -2.25, 3.0], [3], "float64", False, None),
    "whole_floats": ([1.0, 2.0, -300.0], [3], "float32", False, None),
    "zeros": ([0.0, 0.0], [2], "float32", False, None),
    "negative_zero": ([-0.0, 1.0], [2], "float32", False, None),
    "scalar_whole": ([3.0], [], "float32", False, None),
    "scalar_fraction": ([0.5], [], "float64", False, None),
    "scientific_small": ([1e-5, 1.0, 0.5], [3], "float32", False, None),
    "scientific_large": ([1e9, 1.0], [2], "float64", False, None),
    "scientific_ratio": ([1.0, 2000.0, 3.5], [3], "float32", False, None),
    "nonfinite": ([1.5, "inf", "-inf", "nan"], [4], "float32", False, None),
    "only_nan": (["nan", "nan"], [2], "float64", False, None),
    "int64": ([1, -20, 300], [3], "int64", False, None),
    "int32": ([1, 2, 3, 4], [2, 2], "int32", False, None),
    "bool": ([True, False, True], [3], "bool", False, None),
    "bool_all_true": ([True, True], [2], "bool", False, None),
    "long_vector": (("arange", 30, 0.37), [30], "float32", False, None),
    "three_dims": (("arange", 24, 0.5), [2, 3, 4], "float32", False, None),
    "summarized_matrix": (("arange", 2000, 0.25), [40, 50], "float32", False, None),
    "summarized_vector": (("arange", 1500, 1.0), [1500], "int64", False, None),
    "summarized_3d": (("arange", 1728, 0.001), [12, 12, 12], "float64", False, None),
    "grad_fn_mul": ([0.1, 0.2, 0.3], [3], "float32", True, "mul2"),
    "grad_fn_sum": ([0.1, 0.2, 0.3], [3], "float64", True, "sum"),
    "suffix_wraps": (("arange", 18, 0.123), [2, 9], "float64", True, None),
    "empty_vector": ([], [0], "float32", False, None),
    "empty_matrix": ([], [0, 3], "float32", False, None),
    "empty_int": ([], [0], "int64", False, None),
    "empty_float64_matrix": ([], [2, 0], "float64", False, None),
    "options_threshold": (("arange", 12, 0.5), [3, 4], "float32", False, None, {"threshold": 5, "edgeitems": 1}),
    "options_precision": ([0.123456, 2.5, -1.0], [3], "float64", False, None, {"precision": 2}),
    "options_linewidth": (("arange", 10, 1.25), [10], "float32", False, None, {"linewidth": 30}),
    "options_force_scientific": ([0.5, 2.0], [2], "float32", False, None, {"sci_mode": True}),
    "options_forbid_scientific": ([1e-5, 1.0], [2], "float32", False, None, {"sci_mode": False}),
}


def build_printing(spec):
    values, shape, dtype, requires_grad, op = spec[:5]
    dtype = getattr(torch, dtype)
    if isinstance(values, tuple):
        _, n, scale = values
        t = (torch.arange(n, dtype=torch.float64) * scale).to(dtype) if dtype.is_floating_point else torch.arange(n).to(dtype)
    else:
        flat = [float(v) if isinstance(v, str) else v for v in values]
        t = torch.tensor(flat, dtype=dtype)
    t = t.reshape(shape)
    if requires_grad:
        t.requires_grad_()
    if op == "mul2":
        t = t * 2
    elif op == "sum":
        t = t.sum()
    return t


def as_tuple(result):
    return result if isinstance(result, tuple) else (result,)


def main():
    golden = {"torch_version": torch.__version__, "forward": {}, "gradients": {}, "uniform": [], "normal": [], "printing": {}}
    for name, (inputs, fn) in FORWARD.items():
        outputs = as_tuple(fn(*inputs))
        golden["forward"][name] = {"inputs": [encode(t) for t in inputs], "outputs": [encode(t) for t in outputs]}
    for name, (inputs, fn) in GRADIENTS.items():
        leaves = [t.clone().requires_grad_() for t in inputs]
        loss = fn(*leaves)
        grads = torch.autograd.grad(loss, leaves, allow_unused=True)
        golden["gradients"][name] = {
            "inputs": [encode(t) for t in inputs],
            "loss": loss.item(),
            "grads": [encode(g) if g is not None else None for g in grads],
        }
    for seed, count, low, high in UNIFORM:
        case = {"seed": seed, "count": count, "lower": low, "upper": high}
        for dtype in (torch.float32, torch.float64):
            g = torch.Generator().manual_seed(seed)
            case[str(dtype).removeprefix("torch.")] = torch.empty(count, dtype=dtype).uniform_(low, high, generator=g).tolist()
        golden["uniform"].append(case)
    for seed, calls in NORMAL:
        for dtype in (torch.float32, torch.float64):
            g = torch.Generator().manual_seed(seed)
            values = [torch.empty(n, dtype=dtype).normal_(mean, std, generator=g).tolist() for n, mean, std in calls]
            golden["normal"].append({"seed": seed, "dtype": str(dtype).removeprefix("torch."),
                                     "calls": [{"count": n, "mean": m, "std": s} for n, m, s in calls], "values": values})
    for name, spec in PRINTING.items():
        values, shape, dtype, requires_grad, op = spec[:5]
        options = spec[5] if len(spec) > 5 else {}
        with torch._tensor_str.printoptions(**options):
            text = repr(build_printing(spec))
        golden["printing"][name] = {
            "values": [] if isinstance(values, tuple) else [float(v) if not isinstance(v, str) else v for v in values],
            "arange": {"count": values[1], "scale": values[2]} if isinstance(values, tuple) else None,
            "shape": shape, "dtype": dtype, "requiresGrad": requires_grad, "op": op,
            "options": options,
            "repr": text,
        }
    path = pathlib.Path(__file__).with_name("tensor_golden.json")
    path.write_text(json.dumps(golden, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
