"""Writes schedulers.json: the learning rates PyTorch's LinearLR, ConstantLR, MultiplicativeLR and
PolynomialLR give two parameter groups (lr 0.1 and 0.02) over 12 steps, alone and chained
(`cases`, SchedulerGoldenTests); and the learning rates and momenta of OneCycleLR, CyclicLR,
CosineAnnealingWarmRestarts (with fractional `step(epoch)`), SequentialLR and ChainedScheduler
over SGD, Adam, RMSprop and Adagrad (`runs`, CyclicSchedulerGoldenTests).

Run from the repository root with the PyTorch environment:

    .venv-torch/bin/python Tests/OptimTests/Golden/make_scheduler_golden.py
"""
import json
import pathlib
import warnings

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


OPTIMIZERS = {  # name -> (constructor over two groups, the momentum a cyclic scheduler varies)
    "sgd": (lambda groups: torch.optim.SGD(groups, momentum=0.9), lambda g: g["momentum"]),
    "adam": (lambda groups: torch.optim.Adam(groups), lambda g: g["betas"][0]),
    "rmsprop": (lambda groups: torch.optim.RMSprop(groups, momentum=0.5), lambda g: g["momentum"]),
    "adagrad": (lambda groups: torch.optim.Adagrad(groups), None),
}

# Fractional epochs as in PyTorch's CosineAnnealingWarmRestarts example: 3 batches per epoch.
THIRDS = [epoch + i / 3 for epoch in range(9) for i in range(3)]

RUNS = {  # name -> (optimizer, scheduler factory, steps: None for step(), a number for step(epoch))
    "onecycle_default": ("sgd", lambda o: s.OneCycleLR(o, max_lr=0.1, total_steps=20), [None] * 20),
    "onecycle_three_phase_linear": ("adam", lambda o: s.OneCycleLR(
        o, max_lr=[0.5, 0.05], epochs=3, steps_per_epoch=5, pct_start=0.4, anneal_strategy="linear",
        three_phase=True, div_factor=10.0, final_div_factor=100.0, base_momentum=[0.8, 0.7], max_momentum=0.9),
        [None] * 15),
    "onecycle_three_phase_cos": ("rmsprop", lambda o: s.OneCycleLR(o, max_lr=0.3, total_steps=17, pct_start=0.25, three_phase=True), [None] * 17),
    "onecycle_no_momentum": ("adagrad", lambda o: s.OneCycleLR(o, max_lr=[0.2, 0.1], total_steps=10, pct_start=0.25, cycle_momentum=False), [None] * 10),
    "cyclic_triangular": ("sgd", lambda o: s.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4), [None] * 20),
    "cyclic_triangular2": ("adam", lambda o: s.CyclicLR(
        o, base_lr=[0.01, 0.001], max_lr=[0.1, 0.05], step_size_up=3, step_size_down=5, mode="triangular2"), [None] * 30),
    "cyclic_exp_range": ("rmsprop", lambda o: s.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="exp_range", gamma=0.9, base_momentum=0.7, max_momentum=0.95),
        [None] * 25),
    "cyclic_scale_fn_cycle": ("sgd", lambda o: s.CyclicLR(o, base_lr=0.001, max_lr=0.01, step_size_up=3, scale_fn=lambda x: 0.5 ** x), [None] * 24),
    "cyclic_scale_fn_iterations": ("sgd", lambda o: s.CyclicLR(
        o, base_lr=0.001, max_lr=0.01, step_size_up=2, step_size_down=3, scale_fn=lambda x: 1 / (1 + 0.1 * x),
        scale_mode="iterations"), [None] * 24),
    "cyclic_no_momentum": ("adagrad", lambda o: s.CyclicLR(o, base_lr=0.05, max_lr=0.2, step_size_up=5, step_size_down=1, cycle_momentum=False), [None] * 20),
    "warm_restarts": ("sgd", lambda o: s.CosineAnnealingWarmRestarts(o, T_0=5), [None] * 20),
    "warm_restarts_mult": ("sgd", lambda o: s.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001), [None] * 25),
    "warm_restarts_fractional": ("sgd", lambda o: s.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2, eta_min=0.0005), THIRDS + [None] * 5),
    "warm_restarts_fractional_mult1": ("sgd", lambda o: s.CosineAnnealingWarmRestarts(o, T_0=3), [0, 0.25, 2.9, 3.0, 7.5, None, None, 10, None, 31.7, None]),
    "warm_restarts_jumps": ("sgd", lambda o: s.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=3), [5, None, 9.5, None, None, 27, 0.5, None, 100.25, None]),
    "sequential_constant_exponential": ("sgd", lambda o: s.SequentialLR(
        o, [s.ConstantLR(o, factor=0.1, total_iters=3), s.ExponentialLR(o, gamma=0.9)], milestones=[3]), [None] * 12),
    "sequential_three": ("sgd", lambda o: s.SequentialLR(
        o, [s.LinearLR(o, start_factor=0.25, total_iters=4), s.CosineAnnealingLR(o, T_max=5, eta_min=0.001), s.StepLR(o, 2, gamma=0.5)],
        milestones=[4, 9]), [None] * 15),
    "sequential_warm_restarts": ("sgd", lambda o: s.SequentialLR(
        o, [s.LinearLR(o, total_iters=2), s.CosineAnnealingWarmRestarts(o, T_0=3)], milestones=[2]), [None] * 12),
    "sequential_multistep_polynomial": ("sgd", lambda o: s.SequentialLR(
        o, [s.MultiStepLR(o, [1, 3], gamma=0.5), s.PolynomialLR(o, total_iters=4, power=2.0)], milestones=[5]), [None] * 12),
    "sequential_milestone_zero": ("sgd", lambda o: s.SequentialLR(
        o, [s.ExponentialLR(o, gamma=0.5), s.StepLR(o, 3, gamma=0.1)], milestones=[0]), [None] * 8),
    "sequential_chained_first": ("sgd", lambda o: s.SequentialLR(
        o, [s.ChainedScheduler([s.ConstantLR(o, factor=0.5, total_iters=2), s.ExponentialLR(o, gamma=0.9)]),
            s.LinearLR(o, start_factor=0.5, total_iters=3)], milestones=[4]), [None] * 10),
    "sequential_linear_cyclic": ("sgd", lambda o: s.SequentialLR(
        o, [s.LinearLR(o, total_iters=3), s.CyclicLR(o, base_lr=0.01, max_lr=0.05, step_size_up=2)], milestones=[3]), [None] * 12),
    "chained_constant_exponential": ("sgd", lambda o: s.ChainedScheduler(
        [s.ConstantLR(o, factor=0.1, total_iters=4), s.ExponentialLR(o, gamma=0.9)]), [None] * 12),
    "chained_three": ("adam", lambda o: s.ChainedScheduler(
        [s.LinearLR(o, start_factor=0.5, total_iters=3), s.StepLR(o, 4, gamma=0.5), s.CosineAnnealingLR(o, T_max=6)], optimizer=o),
        [None] * 14),
    "chained_warm_restarts_multistep": ("sgd", lambda o: s.ChainedScheduler(
        [s.CosineAnnealingWarmRestarts(o, T_0=4), s.MultiStepLR(o, [2, 5], gamma=0.5)]), [None] * 12),
}


def run(optimizer_name, factory, steps):
    make, momentum = OPTIMIZERS[optimizer_name]
    params = [torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)]
    optimizer = make([{"params": [params[0]], "lr": 0.1}, {"params": [params[1]], "lr": 0.02}])
    scheduler = factory(optimizer)

    def record():
        rates.append([g["lr"] for g in optimizer.param_groups])
        if momentum is not None:
            momenta.append([momentum(g) for g in optimizer.param_groups])

    rates, momenta = [], []
    record()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # step(epoch) is deprecated for most schedulers, not this one
        for epoch in steps:
            optimizer.step()
            scheduler.step() if epoch is None else scheduler.step(epoch)
            record()
    return {"optimizer": optimizer_name, "steps": steps, "lr": rates, "momentum": momenta if momentum else None}


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
    runs = {name: run(*spec) for name, spec in RUNS.items()}
    path = pathlib.Path(__file__).with_name("schedulers.json")
    document = {"torch_version": torch.__version__, "cases": cases, "runs": runs}
    path.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
