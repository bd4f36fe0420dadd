"""Writes schedulers.json: the learning rates PyTorch's LinearLR, ConstantLR, MultiplicativeLR and
PolynomialLR give two parameter groups (lr 0.1 and 0.02) over 12 steps, alone and chained
(SchedulerGoldenTests).

Run from the repository root with the PyTorch environment:

    .venv-torch/bin/python Tests/OptimTests/Golden/make_scheduler_golden.py
"""
import json
import pathlib

import torch
from torch.optim import lr_scheduler as s

CASES = {  # name -> list of scheduler factories applied to one optimizer
    "linear": [lambda o: s.LinearLR(o)],
    "linear_options": [lambda o: s.LinearLR(o, start_factor=0.5, end_factor=0.1, total_iters=4)],
    "constant": [lambda o: s.ConstantLR(o)],
    "constant_options": [lambda o: s.ConstantLR(o, factor=0.25, total_iters=3)],
    "multiplicative": [lambda o: s.MultiplicativeLR(o, lambda epoch: 0.9 if epoch % 2 else 0.95)],
    "polynomial": [lambda o: s.PolynomialLR(o)],
    "polynomial_power": [lambda o: s.PolynomialLR(o, total_iters=7, power=2.5)],
    "linear_then_exponential": [lambda o: s.LinearLR(o, start_factor=0.2, total_iters=3), lambda o: s.ExponentialLR(o, gamma=0.9)],
    "constant_and_polynomial": [lambda o: s.ConstantLR(o, factor=0.5, total_iters=2), lambda o: s.PolynomialLR(o, total_iters=6, power=0.5)],
}


def main():
    cases = {}
    for name, factories in CASES.items():
        params = [torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)]
        optimizer = torch.optim.SGD([{"params": [params[0]], "lr": 0.1}, {"params": [params[1]], "lr": 0.02}])
        schedulers = [f(optimizer) for f in factories]
        rates = [[g["lr"] for g in optimizer.param_groups]]
        for _ in range(12):
            optimizer.step()
            for scheduler in schedulers:
                scheduler.step()
            rates.append([g["lr"] for g in optimizer.param_groups])
        cases[name] = rates
    path = pathlib.Path(__file__).with_name("schedulers.json")
    path.write_text(json.dumps({"torch_version": torch.__version__, "cases": cases}, separators=(",", ":")) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
