"""Writes optimizer_repr.json: `repr(optimizer)` (what `print(optimizer)` shows) of every optimizer
of this library, with default and other options, one and two parameter groups, and after a
scheduler has set `initial_lr` (OptimizerDescriptionTests).

Whole values of the options PyTorch defaults to the int 0 (momentum, dampening, weight_decay,
lr_decay, initial_accumulator_value) are passed as ints, the Swift side's printing convention.

Run from the repository root with the PyTorch environment:

    .venv-torch/bin/python Tests/OptimTests/Golden/make_optimizer_repr_golden.py
"""
import json
import pathlib

import torch
from torch import optim

CASES = {  # name -> optimizer over two tensors p, q
    "sgd_default": lambda p, q: optim.SGD([p, q]),
    "sgd_options_two_groups": lambda p, q: optim.SGD(
        [{"params": [p]}, {"params": [q], "lr": 0.01, "momentum": 0.5, "weight_decay": 0}],
        lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4),
    "sgd_dampening_maximize": lambda p, q: optim.SGD([p, q], lr=12345.678, momentum=1, dampening=0.25, maximize=True),
    "sgd_scheduled": lambda p, q: scheduled(optim.SGD([{"params": [p]}, {"params": [q], "lr": 2.5e-05}], lr=0.1)),
    "adam_default": lambda p, q: optim.Adam([p, q]),
    "adam_options_two_groups": lambda p, q: optim.Adam(
        [{"params": [p], "betas": (0.5, 0.75)}, {"params": [q], "amsgrad": False, "eps": 1e-18}],
        lr=1e-2, betas=(0.8, 0.99), eps=1e-10, weight_decay=0.0001, amsgrad=True, maximize=True),
    "adam_decoupled": lambda p, q: optim.Adam([p, q], lr=3e16, weight_decay=2, decoupled_weight_decay=True),
    "adamw_default": lambda p, q: optim.AdamW([p, q]),
    "adamw_options_two_groups": lambda p, q: optim.AdamW(
        [{"params": [p]}, {"params": [q], "weight_decay": 0}], lr=0.003, weight_decay=0.1, amsgrad=True),
    "adagrad_default": lambda p, q: optim.Adagrad([p, q]),
    "adagrad_options_two_groups": lambda p, q: optim.Adagrad(
        [{"params": [p]}, {"params": [q], "lr_decay": 0.001, "initial_accumulator_value": 0.1}],
        lr=0.1, lr_decay=1, weight_decay=0.01, initial_accumulator_value=2, eps=1e-06, maximize=True),
    "rmsprop_default": lambda p, q: optim.RMSprop([p, q]),
    "rmsprop_options_two_groups": lambda p, q: optim.RMSprop(
        [{"params": [p], "centered": False}, {"params": [q], "momentum": 0, "alpha": 0.9}],
        lr=0.4, alpha=0.5, eps=1e-18, weight_decay=0.5, momentum=0.25, centered=True),
}


def scheduled(optimizer):
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    optimizer.step()
    scheduler.step()
    return optimizer


def main():
    cases = {}
    for name, make in CASES.items():
        p, q = torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)
        cases[name] = repr(make(p, q))
    path = pathlib.Path(__file__).with_name("optimizer_repr.json")
    path.write_text(json.dumps({"torch_version": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
