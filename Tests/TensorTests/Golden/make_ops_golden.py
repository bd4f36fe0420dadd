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
    # Products, scans, statistics, extrema.
    "scan_prod": ([rand(3, 4, low=0.5, high=1.5), f64([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]])],
                  lambda a, z: (a.prod(), a.prod(1), a.prod(0, keepdim=True), z.prod(1), z.prod(0), z.prod())),
    "scan_cumsum_cumprod": ([rand(3, 4), f64([[1.0, 0.0, 2.0, 3.0], [2.0, 3.0, 0.0, 0.0]])],
                            lambda a, z: (a.cumsum(1), a.cumsum(0), a.cumsum(-1), a.cumprod(1), a.cumprod(0), z.cumprod(1))),
    "stat_var_std": ([rand(3, 4, 2)],
                     lambda a: (a.var(), a.var(1), a.var((0, 2), correction=0), a.var(-1, keepdim=True), a.std(), a.std(0),
                                a.std((1, 2), correction=0, keepdim=True), a[:, :1].var(1), a.var(1, correction=2))),
    "stat_norm": ([rand(3, 4), f64([[0.0, 0.0], [3.0, -4.0]])],
                  lambda a, z: (a.norm(), a.norm(1), a.norm(float("inf")), a.norm(float("-inf")), a.norm(0), a.norm(3),
                                a.norm(2, 1), a.norm(1, 0, keepdim=True), a.norm(0.5, (0, 1)), z.norm(2, 1), z.norm(float("inf"), 1),
                                torch.linalg.vector_norm(a, 2.5, dim=-1))),
    "stat_amax_amin": ([f64([[[1.0, 5.0], [5.0, -2.0]], [[0.0, 3.0], [-2.0, 4.0]]])],
                       lambda a: (a.amax(), a.amin(), a.amax((0, 2)), a.amin((1, 2), keepdim=True), a.amax(-1), a.argmin(),
                                  a.argmax())),
    # Sorting.
    "sort_sort": ([f64([[3.0, 1.0, 2.0, 1.0, math.nan, -1.0], [0.5, 0.5, -3.0, 7.0, 0.5, 2.0]])],
                  lambda a: (*a.sort(stable=True), *a.sort(descending=True, stable=True), *a.sort(dim=0, stable=True),
                             a.argsort(stable=True), a.argsort(dim=0, descending=True, stable=True))),
    "sort_topk": ([rand(3, 5)],
                  lambda a: (*a.topk(2), *a.topk(3, dim=0), *a.topk(2, largest=False), *a.topk(1, dim=-1))),
    # Shape: rearranging and repeating.
    "shape_flip_roll": ([rand(2, 3, 4)],
                        lambda a: (a.flip(0), a.flip((1, 2)), a.flip(-1), a.roll(1, 0), a.roll((2, -1), (2, 1)), a.roll(5),
                                   a.roll(-7, 2))),
    "shape_repeat_tile": ([rand(2, 3)],
                          lambda a: (a.repeat(2, 1), a.repeat(1, 2, 3), a.tile((2,)), a.tile((3, 1, 2)), a.repeat(1, 0))),
    "shape_movedim": ([rand(2, 3, 4)],
                      lambda a: (a.movedim(0, -1), a.movedim((0, 1), (2, 0)), a.swapaxes(0, 2), a.unflatten(2, (2, 2)),
                                 a.unflatten(1, (-1, 1)))),
    "shape_tril_triu": ([rand(3, 4), rand(2, 3, 3)],
                        lambda a, b: (a.tril(), a.triu(), a.tril(1), a.triu(-1), a.tril(-5), b.triu(1), b.tril())),
    # Named products and pow with a scalar base.
    "product_named": ([rand(3, 4), rand(4, 2), rand(2, 3, 4), rand(2, 4, 5), rand(4), rand(4)],
                      lambda a, b, c, d, u, v: (a.mm(b), c.bmm(d), a.mv(u), u.dot(v), torch.outer(u, b[:, 0]),
                                                torch.pow(2.5, a), torch.pow(0.0, f64([0.0, 1.0, 2.0])))),
    # Sampling from seeded generators (the Swift mirror uses the same seeds).
    "random_randperm": ([], lambda: (torch.randperm(1, generator=_seeded(0)), torch.randperm(5, generator=_seeded(0)),
                                     torch.randperm(10, generator=_seeded(7)), torch.randperm(30, generator=_seeded(42)))),
    "random_multinomial": ([rand(2, 5, low=0.0, high=2.0)],
                           lambda p: (torch.multinomial(p, 3, generator=_seeded(1)), torch.multinomial(p, 8, True, generator=_seeded(2)),
                                      torch.multinomial(p[0], 1, generator=_seeded(3)),
                                      torch.multinomial(p.float(), 4, generator=_seeded(4)),
                                      torch.multinomial(p.float(), 6, True, generator=_seeded(5)),
                                      torch.multinomial(f64([0.0, 1.0, 0.0, 3.0]), 5, True, generator=_seeded(6)))),
    "random_multinomial_large": ([rand(300, low=0.0, high=1.0)],
                                 lambda p: (torch.multinomial(p, 7, generator=_seeded(8)), torch.multinomial(p.float(), 7, generator=_seeded(9)),
                                            torch.multinomial(p, 40, True, generator=_seeded(10)))),
    "random_bernoulli": ([rand(3, 4, low=0.0, high=1.0)],
                         lambda p: (torch.bernoulli(p, generator=_seeded(11)), torch.bernoulli(p.float(), generator=_seeded(12)))),
}


def _seeded(seed):
    return torch.Generator().manual_seed(seed)


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
    "scan_prod_cum": ([rand(3, 4, low=0.5, high=1.5), f64([[1.0, 0.0, 2.0, 3.0], [0.0, 3.0, 0.0, 2.0], [2.0, 0.5, 1.5, 0.0]])],
                      lambda a, z: (a.prod(1) * f64([1.0, 2.0, 3.0])).sum() + a.prod() + z.prod(1).sum() * 2 + z.prod(0).sum()
                      + (a.cumsum(1) ** 2).sum() + (a.cumprod(0) * a).sum() + (z.cumprod(1) * f64([1.0, -2.0, 3.0, 0.5])).sum()),
    "stat_var_norm": ([rand(3, 4), f64([[0.0, 0.0, 0.0], [3.0, -4.0, 0.0], [1.0, -1.0, 1.0]])],
                      lambda a, z: a.var() + a.std(1).sum() + (a.var((0, 1), correction=0) * 2) + a.norm() + a.norm(1, 1).sum()
                      + a.norm(float("inf"), 0).sum() + a.norm(3, 1).sum() + z.norm(2, 1).sum() + z.norm(float("inf"), 1).sum()
                      + z.norm(1.5, 1).sum() + z.amax(1).sum() * 2 + z.amin((0, 1)) + a.amax((0, 1))),
    "sort_values": ([rand(3, 5)],
                    lambda a: (a.sort(1).values * f64([1.0, 2.0, 3.0, 4.0, 5.0])).sum() + (a.topk(2, 0).values ** 2).sum()
                    + a.sort(0, descending=True).values[0].exp().sum()),
    "shape_rearrange": ([rand(2, 3, 4)],
                        lambda x: (x.flip((0, 2)) * x).sum() + (x.roll(1, 1) * x ** 2).sum() + (x.repeat(2, 1, 1).tanh()
                                   * torch.arange(48, dtype=torch.float64).reshape(4, 3, 4)).sum() + (x.tile((1, 2)) ** 3).sum()
                        + (x.movedim(0, -1).reshape(3, 8) * torch.arange(24, dtype=torch.float64).reshape(3, 8)).sum()
                        + (x.tril(1) * x.triu(-1)).sum()),
    "product_named": ([rand(3, 4), rand(4, 2), rand(4), rand(4)],
                      lambda a, b, u, v: a.mm(b).tanh().sum() + a.mv(u).exp().sum() + u.dot(v) * 3 + (torch.outer(u, v) ** 2).sum()
                      + torch.pow(1.7, a).sum()),
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
