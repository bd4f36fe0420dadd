"""Writes api_nn.json: PyTorch's values and gradients for the activation layers, the regression,
KL and BCE losses and Embedding's max_norm and from_pretrained (NNAPIGoldenTests).

Run from the repository root with the PyTorch environment:

    .venv-torch/bin/python Tests/NNTests/Golden/make_api_nn_golden.py

Each case: float64 inputs, the output, and the gradient of sum(output * upstream) with respect to
every input (upstream drawn for the case).
"""
import json
import math
import pathlib

import torch
import torch.nn as nn

_gen = torch.Generator().manual_seed(20261207)


def rand(*shape, low=-1.0, high=1.0):
    return torch.empty(list(shape), dtype=torch.float64).uniform_(low, high, generator=_gen)


def f64(values):
    return torch.tensor(values, dtype=torch.float64)


def encode(t):
    t = t.detach()
    names = {math.inf: "Infinity", -math.inf: "-Infinity"}
    return {"shape": list(t.shape),
            "values": [v if math.isfinite(v) else ("NaN" if math.isnan(v) else names[v]) for v in t.reshape(-1).tolist()]}


edge = f64([[-2.0, -0.5, 0.0, 0.5], [1.5, 3.0, -3.0, 0.0]])
probabilities = torch.softmax(rand(3, 4) * 2, dim=1)
log_probabilities = torch.log_softmax(rand(3, 4) * 2, dim=1)
target_probabilities = torch.softmax(rand(3, 4) * 2, dim=1) * f64([1.0, 1.0, 0.0, 1.0])

CASES = {  # name -> (inputs, function)
    "silu": ([edge], lambda x: nn.SiLU()(x)),
    "leaky_relu": ([edge], lambda x: nn.LeakyReLU(0.2)(x)),
    "leaky_relu_default": ([edge], lambda x: nn.LeakyReLU()(x)),
    "elu": ([edge], lambda x: nn.ELU(alpha=0.7)(x)),
    "softplus": ([edge], lambda x: nn.Softplus()(x)),
    "softplus_beta_threshold": ([edge], lambda x: nn.Softplus(beta=2.0, threshold=5.0)(x)),
    "softplus_extremes": ([f64([-800.0, -40.0, 19.0, 21.0, 800.0])], lambda x: nn.Softplus()(x)),
    "softmax_module": ([rand(2, 3, 4)], lambda x: nn.Softmax(dim=1)(x)),
    "log_softmax_module": ([rand(2, 3, 4)], lambda x: nn.LogSoftmax(dim=-1)(x)),
    "identity": ([rand(2, 3)], lambda x: nn.Identity()(x)),
    "l1_mean": ([rand(3, 4), rand(3, 4)], lambda x, y: nn.L1Loss()(x, y)),
    "l1_sum_none": ([rand(3, 4), rand(3, 4)], lambda x, y: (nn.L1Loss(reduction="sum")(x, y), nn.L1Loss(reduction="none")(x, y))),
    "smooth_l1": ([rand(3, 4) * 2, rand(3, 4)], lambda x, y: (nn.SmoothL1Loss()(x, y), nn.SmoothL1Loss(beta=0.5, reduction="none")(x, y),
                                                              nn.SmoothL1Loss(beta=0.0, reduction="sum")(x, y))),
    "huber": ([rand(3, 4) * 2, rand(3, 4)], lambda x, y: (nn.HuberLoss()(x, y), nn.HuberLoss(delta=0.8, reduction="none")(x, y),
                                                          nn.HuberLoss(delta=2.5, reduction="sum")(x, y))),
    "kl_div": ([log_probabilities, target_probabilities],
               lambda x, y: (nn.KLDivLoss(reduction="batchmean")(x, y), nn.KLDivLoss()(x, y), nn.KLDivLoss(reduction="sum")(x, y),
                             nn.KLDivLoss(reduction="none")(x, y))),
    "kl_div_log_target": ([log_probabilities, torch.log_softmax(rand(3, 4), dim=1)],
                          lambda x, y: (nn.KLDivLoss(reduction="batchmean", log_target=True)(x, y),
                                        nn.KLDivLoss(reduction="none", log_target=True)(x, y))),
    "bce": ([probabilities, rand(3, 4, low=0.0, high=1.0), rand(4, low=0.5, high=2.0)],
            lambda x, y, w: (nn.BCELoss()(x, y), nn.BCELoss(weight=w.detach(), reduction="sum")(x, y), nn.BCELoss(reduction="none")(x, y))),
    "bce_extremes": ([f64([0.0, 1.0, 0.5, 1e-50]), f64([1.0, 0.0, 1.0, 1.0])], lambda x, y: nn.BCELoss(reduction="none")(x, y)),
}


def embedding_cases():
    weight = rand(5, 3) * 2
    indices = torch.tensor([[0, 2], [2, 4]])
    layer = nn.Embedding.from_pretrained(weight.clone(), freeze=False, max_norm=1.0)
    out = layer(indices)
    upstream = rand(*out.shape)
    (out * upstream).sum().backward()
    layer_inf = nn.Embedding.from_pretrained(weight.clone(), max_norm=0.5, norm_type=float("inf"))
    out_inf = layer_inf(indices)
    return {"weight": encode(weight), "indices": indices.reshape(-1).tolist(), "indexShape": list(indices.shape),
            "output": encode(out), "upstream": encode(upstream), "weightAfter": encode(layer.weight),
            "grad": encode(layer.weight.grad), "outputInf": encode(out_inf), "weightAfterInf": encode(layer_inf.weight),
            "frozenRequiresGrad": nn.Embedding.from_pretrained(weight).weight.requires_grad}


def main():
    cases = []
    for name, (inputs, fn) in CASES.items():
        leaves = [t.clone().requires_grad_() for t in inputs]
        outputs = fn(*leaves)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        upstreams = [rand(*o.shape) for o in outputs]
        total = sum((o * u).sum() for o, u in zip(outputs, upstreams))
        grads = torch.autograd.grad(total, leaves, allow_unused=True)
        cases.append({"name": name, "inputs": [encode(t) for t in inputs], "outputs": [encode(o) for o in outputs],
                      "upstreams": [encode(u) for u in upstreams],
                      "grads": [encode(g) if g is not None else None for g in grads]})
    golden = {"torch_version": torch.__version__, "cases": cases, "embedding": embedding_cases()}
    path = pathlib.Path(__file__).with_name("api_nn.json")
    path.write_text(json.dumps(golden, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
