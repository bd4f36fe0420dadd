"""Writes ops_golden.json: PyTorch's values for the everyday tensor API (masks and advanced
indexing, comparisons and logic, reductions and scans, sorting, shape operations, sampling).

Run from the repository root with the PyTorch environment:

    .venv-torch/bin/python Tests/TensorTests/Golden/make_ops_golden.py

Sections (all values stored as float64; masks as 0/1 and indices as integers):
  forward    case -> inputs and torch's outputs;
  gradients  case -> inputs, a scalar loss and torch's gradients w.r.t. each input (null for index
             and mask inputs).
Each case's name starts with its family (`index_`, `compare_`, ...); the Swift suite of that
family (MaskIndexingTests, ...) mirrors every case by name.
"""
import json
import math
import pathlib

import torch

_gen = torch.Generator().manual_seed(20261206)


def rand(*shape, low=-1.0, high=1.0):
    """Uniform float64 inputs from a fixed generator."""
    return torch.empty(*shape, dtype=torch.float64).uniform_(low, high, generator=_gen)


def f64(values):
    return torch.tensor(values, dtype=torch.float64)


def encode(t):
    t = t.detach()
    values = [v if math.isfinite(v) else str(v) for v in t.to(torch.float64).reshape(-1).tolist()]
    return {"shape": list(t.shape), "data": values}


def idx(t):
    return t.long()


def msk(t):
    return t.bool()


# name -> (inputs, function of the inputs returning a tensor or a tuple of tensors)
FORWARD = {
    # Advanced indexing by integer tensors and boolean masks.
    "index_int_rows": ([rand(5, 3), f64([[4, 0], [-1, 2]])], lambda a, i: (a[idx(i)], a[idx(i)[0]], a[:, idx(i)[1] % 3])),
    "index_pairs": ([rand(4, 5, 3), f64([0, 3, 3, -2]), f64([[1], [4]])],
                    lambda a, i, j: (a[idx(i), idx(j)], a[idx(i), :, idx(i) % 3], a[1, idx(i)], a[:, idx(j), 0],
                                     a[None, idx(i), :, idx(i) % 3], a[..., idx(j) % 3], a[idx(i), 1:3])),
    "index_mask": ([rand(3, 4), rand(3, 4, 2)],
                   lambda a, b: (a[a > 0], b[a > 0], b[:, a[0] > 0], b[a > 0, 1], a[(a > 0)[:, 0]], a.masked_select(a[0] > 0))),
    "index_zero_d": ([rand(4, 3)], lambda a: (a[torch.tensor(2)], a[torch.tensor(True)], a[torch.tensor(False)])),
    "index_put": ([rand(4, 3), f64([3, 0, 3]), rand(3)],
                  lambda a, i, v: (a.clone().index_put_((idx(i),), v), a.clone().index_put_((idx(i),), v, accumulate=True),
                                   a.clone().index_put_((idx(i), idx(i) % 3), f64(7.0)),
                                   a.clone().index_put_((idx(i), idx(i) % 3), f64([1.0, 2.0, 3.0]), accumulate=True))),
    "index_mask_assign": ([rand(3, 4)], lambda a: _assign_mask(a)),
    "index_masked_fill": ([rand(3, 4), rand(4)],
                          lambda a, b: (a.masked_fill(a > 0.2, -1.5), a.masked_fill(b > 0, 0.0), b.masked_fill(b < 0, 2.0))),
    "index_where_scalar": ([rand(3, 4), rand(4)],
                           lambda a, b: (torch.where(a > 0, a, 0.0), torch.where(a > 0, 1.5, b), torch.where(b > 0, 2.0, -3.0),
                                         torch.where(a < b, a, b))),
    # Comparisons and logic.
    "compare_scalar_sides": ([f64([[-1.0, 0.5, 2.0], [0.25, 0.5, math.nan]])],
                             lambda a: (0.5 < a, 0.5 <= a, 0.5 > a, 0.5 >= a, 0.5 == a, 0.5 != a, a < 0.5, a >= 0.5, a == a)),
    "compare_int": ([f64([[1, 5, -2], [3, 3, 0]]), f64([3, 5, -3])],
                    lambda a, b: (idx(a) == idx(b), idx(a) != idx(b), idx(a) < idx(b), idx(a) >= 3, 2 < idx(a), idx(a) == 3)),
    "compare_logic": ([f64([[1, 0, 1, 0]]), f64([[1], [0]]), f64([0.0, -2.0, math.nan, 0.5])],
                      lambda a, b, c: (msk(a) & msk(b), msk(a) | msk(b), msk(a) ^ msk(b), ~msk(a),
                                       torch.logical_and(c, a), torch.logical_or(c, b), torch.logical_xor(c, a), torch.logical_not(c))),
    "compare_any_all": ([f64([[0, 0, 1], [0, 0, 0]]), f64([[1.0, 2.0, 0.0], [math.nan, -1.0, 3.0]])],
                        lambda a, b: (msk(a).any(), msk(a).all(), msk(a).any(1), msk(a).all(0), msk(a).any(0, keepdim=True),
                                      b.any(), b.all(), b.all(1), b.any(-1, keepdim=True), (b > -5).all())),
    "compare_conversions": ([f64([[-1.7, 0.0, 2.5], [3.99, -0.2, 1.0]])],
                            lambda a: (a.long(), a.int(), a.bool(), (a > 0).float(), a.float(), a.long().double())),
}


def _assign_mask(a):
    b = a.clone()
    b[b > 0] = 0.5
    c = a.clone()
    c[(a < 0)[:, 0]] = f64([1.0, 2.0, 3.0, 4.0])
    d = a.clone()
    d[:, a[0] > 0.3] = f64([[9.0], [8.0], [7.0]])
    return b, c, d


# name -> (inputs, scalar loss)
GRADIENTS = {
    "index_int_rows": ([rand(5, 3), f64([[4, 0], [2, 2]])], lambda a, i: (a[idx(i)] ** 2).sum() + a[:, idx(i)[1]].exp().sum()),
    "index_pairs": ([rand(4, 5, 3), f64([0, 3, 3]), f64([[1], [4]])],
                    lambda a, i, j: (a[idx(i), idx(j)].tanh() * 2).sum() + (a[idx(i), :, idx(i) % 3] ** 3).sum()),
    "index_mask": ([rand(3, 4), rand(3, 4, 2)],
                   lambda a, b: (b[a > 0] * 1.5).pow(2).sum() + a[a < 0.3].exp().sum() + b[:, a[1] > 0].tanh().sum()),
    "index_masked_fill_where": ([rand(3, 4), rand(4)],
                                lambda a, b: (a.masked_fill(a > 0.2, -1.5) ** 2).sum() + torch.where(a > 0, a, 0.0).exp().sum()
                                + torch.where(a > 0, 1.5, b).pow(3).sum()),
}


def as_tuple(result):
    return result if isinstance(result, tuple) else (result,)


def main():
    golden = {"torch_version": torch.__version__, "forward": {}, "gradients": {}}
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
    path = pathlib.Path(__file__).with_name("ops_golden.json")
    path.write_text(json.dumps(golden, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
