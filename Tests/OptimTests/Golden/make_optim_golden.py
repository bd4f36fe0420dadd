"""Writes optim_golden.json: PyTorch reference trajectories for the Optim test suite.

Run with the repository's PyTorch install:

    /work/main/.venv-torch/bin/python Tests/OptimTests/Golden/make_optim_golden.py

Every case trains the same tiny float64 model for STEPS steps:

    h = tanh(x @ W.T + b)          x: [5, 3], W: [2, 3], b: [2]
    loss = mean((h @ v - y) ** 2)  v: [2], y: [5]

The optimizer also holds an extra parameter `u` ([2]) that never receives a gradient,
so every case checks that parameters whose `grad` is None are skipped. After each step
the file records W, b, v (flattened, in that order), the learning rate of every group
and, for clipping cases, the total gradient norm returned by the clipping function.

Each case runs with `foreach=False` (PyTorch's single-tensor loop, the one the Swift
code follows operation by operation); the script also runs PyTorch's default path and
checks it gives the same parameters to 1e-13.
"""

import json
import math
from pathlib import Path

import torch

STEPS = 20

X = torch.tensor(
    [[0.5, -1.2, 0.3], [1.1, 0.4, -0.7], [-0.9, 0.8, 1.5], [0.2, -0.3, -1.1], [1.4, 1.0, 0.6]],
    dtype=torch.float64,
)
Y = torch.tensor([0.7, -0.4, 1.2, -1.0, 0.3], dtype=torch.float64)
INITIAL = {
    "W": [[0.3, -0.5, 0.8], [-0.6, 0.2, 0.4]],
    "b": [0.1, -0.2],
    "v": [0.9, -0.7],
    "u": [0.25, -0.75],
}
TRAJECTORY_PARAMS = ["W", "b", "v"]
ALL_PARAMS = ["W", "b", "v", "u"]

OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "Adagrad": torch.optim.Adagrad,
    "RMSprop": torch.optim.RMSprop,
}
# Hyperparameters recorded per group at construction (PyTorch's names); implementation
# switches (foreach, fused, capturable, differentiable) are left out.
RECORDED_OPTIONS = {
    "SGD": ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"],
    "Adam": ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay"],
    "AdamW": ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay"],
    "Adagrad": ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"],
    "RMSprop": ["lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"],
}

# Learning-rate lambdas shared with the Swift test (by name).
LAMBDAS = {
    "inverse": lambda epoch: 1.0 / (1.0 + 0.3 * epoch),
    "power": lambda epoch: 0.95 ** epoch,
}


def loss_fn(p):
    h = torch.tanh(X @ p["W"].T + p["b"])
    return ((h @ p["v"] - Y) ** 2).mean()


def make_params():
    return {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in INITIAL.items()}


def make_scheduler(optimizer, spec):
    kind = spec["type"]
    args = {k: v for k, v in spec.items() if k != "type"}
    if kind == "LambdaLR":
        names = args["lr_lambda"]
        fn = [LAMBDAS[n] for n in names] if isinstance(names, list) else LAMBDAS[names]
        return torch.optim.lr_scheduler.LambdaLR(optimizer, fn)
    return getattr(torch.optim.lr_scheduler, kind)(optimizer, **args)


def run(case, foreach):
    p = make_params()
    options = dict(case.get("options", {}))
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    if "groups" in case:
        params = []
        for group in case["groups"]:
            entry = {"params": [p[n] for n in group["params"]]}
            entry.update(group.get("options", {}))
            params.append(entry)
    else:
        params = [p[n] for n in ALL_PARAMS]
    optimizer = OPTIMIZERS[case["optimizer"]](params, foreach=foreach, **options)
    recorded = [
        {k: (list(g[k]) if isinstance(g[k], tuple) else g[k]) for k in RECORDED_OPTIONS[case["optimizer"]]}
        for g in optimizer.param_groups
    ]
    scheduler = make_scheduler(optimizer, case["scheduler"]) if "scheduler" in case else None
    clip = case.get("clip")

    trajectory, lrs, norms = [], [], []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_fn(p)
        loss.backward()
        if clip is not None:
            grads = [p[n] for n in ALL_PARAMS]
            if clip["type"] == "norm":
                norms.append(torch.nn.utils.clip_grad_norm_(grads, clip["max_norm"], clip["norm_type"]).item())
            else:
                torch.nn.utils.clip_grad_value_(grads, clip["clip_value"])
        optimizer.step()
        if scheduler is not None:
            if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
                scheduler.step(loss.item())
            else:
                scheduler.step()
        if not torch.equal(p["u"], torch.tensor(INITIAL["u"], dtype=torch.float64)):
            raise AssertionError("a parameter without gradient was changed")
        trajectory.append([x for n in TRAJECTORY_PARAMS for x in p[n].detach().flatten().tolist()])
        lrs.append([g["lr"] for g in optimizer.param_groups])
    if case["optimizer"] != "Adagrad" and optimizer.state.get(p["u"]):  # Adagrad's state is eager
        raise AssertionError("state was created for a parameter without gradient")
    return trajectory, lrs, norms, recorded


def sgd(name, **options):
    return {"name": name, "optimizer": "SGD", "options": options}


CASES = [
    # SGD
    sgd("sgd", lr=0.1),
    sgd("sgd_momentum", lr=0.1, momentum=0.9),
    sgd("sgd_momentum_dampening", lr=0.1, momentum=0.9, dampening=0.5),
    sgd("sgd_nesterov", lr=0.1, momentum=0.9, nesterov=True),
    sgd("sgd_weight_decay", lr=0.1, weight_decay=0.1),
    sgd("sgd_maximize", lr=0.05, maximize=True),
    sgd("sgd_momentum_weight_decay_maximize", lr=0.05, momentum=0.8, weight_decay=0.05, maximize=True),
    {"name": "sgd_default_lr", "optimizer": "SGD", "options": {}},
    # Adam / AdamW
    {"name": "adam_default", "optimizer": "Adam", "options": {}},
    {"name": "adam", "optimizer": "Adam", "options": {"lr": 0.05}},
    {"name": "adam_betas_eps", "optimizer": "Adam", "options": {"lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-3}},
    {"name": "adam_weight_decay", "optimizer": "Adam", "options": {"lr": 0.05, "weight_decay": 0.1}},
    {"name": "adam_amsgrad", "optimizer": "Adam", "options": {"lr": 0.05, "amsgrad": True}},
    {"name": "adam_maximize", "optimizer": "Adam", "options": {"lr": 0.02, "maximize": True}},
    {"name": "adam_decoupled_weight_decay", "optimizer": "Adam",
     "options": {"lr": 0.05, "weight_decay": 0.2, "decoupled_weight_decay": True}},
    {"name": "adamw_default", "optimizer": "AdamW", "options": {"lr": 0.05}},
    {"name": "adamw_amsgrad", "optimizer": "AdamW", "options": {"lr": 0.05, "weight_decay": 0.5, "amsgrad": True}},
    # Adagrad
    {"name": "adagrad_default", "optimizer": "Adagrad", "options": {}},
    {"name": "adagrad", "optimizer": "Adagrad", "options": {"lr": 0.1}},
    {"name": "adagrad_lr_decay", "optimizer": "Adagrad", "options": {"lr": 0.1, "lr_decay": 0.05}},
    {"name": "adagrad_weight_decay", "optimizer": "Adagrad", "options": {"lr": 0.1, "weight_decay": 0.1}},
    {"name": "adagrad_initial_accumulator", "optimizer": "Adagrad",
     "options": {"lr": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-3}},
    {"name": "adagrad_maximize", "optimizer": "Adagrad", "options": {"lr": 0.05, "maximize": True}},
    # RMSprop
    {"name": "rmsprop_default", "optimizer": "RMSprop", "options": {}},
    {"name": "rmsprop_coursework", "optimizer": "RMSprop", "options": {"lr": 0.4, "alpha": 0.5, "eps": 1e-18}},
    {"name": "rmsprop_centered", "optimizer": "RMSprop", "options": {"lr": 0.01, "centered": True}},
    {"name": "rmsprop_momentum", "optimizer": "RMSprop", "options": {"lr": 0.01, "momentum": 0.9}},
    {"name": "rmsprop_centered_momentum", "optimizer": "RMSprop",
     "options": {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True}},
    {"name": "rmsprop_weight_decay", "optimizer": "RMSprop", "options": {"lr": 0.01, "weight_decay": 0.1}},
    {"name": "rmsprop_maximize", "optimizer": "RMSprop", "options": {"lr": 0.01, "maximize": True}},
    # Parameter groups: per-group overrides on top of the defaults.
    {"name": "sgd_groups", "optimizer": "SGD", "options": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.05},
     "groups": [{"params": ["W", "v"]}, {"params": ["b", "u"], "options": {"lr": 0.02, "weight_decay": 0}}]},
    {"name": "adam_groups", "optimizer": "Adam", "options": {"lr": 0.05},
     "groups": [{"params": ["W"], "options": {"amsgrad": True}},
                {"params": ["b", "u", "v"], "options": {"lr": 0.01, "betas": [0.5, 0.9], "weight_decay": 0.1}}]},
    {"name": "adagrad_groups", "optimizer": "Adagrad", "options": {"lr": 0.1},
     "groups": [{"params": ["W", "b"], "options": {"lr_decay": 0.1}},
                {"params": ["u", "v"], "options": {"initial_accumulator_value": 1.0}}]},
    {"name": "rmsprop_groups", "optimizer": "RMSprop", "options": {"lr": 0.01},
     "groups": [{"params": ["W", "b", "u"], "options": {"centered": True}},
                {"params": ["v"], "options": {"momentum": 0.9, "lr": 0.005}}]},
    # Learning-rate schedulers (stepped after every optimizer step).
    {"name": "steplr", "optimizer": "SGD", "options": {"lr": 0.2, "momentum": 0.5},
     "scheduler": {"type": "StepLR", "step_size": 4, "gamma": 0.5}},
    {"name": "multisteplr", "optimizer": "SGD", "options": {"lr": 0.2},
     "scheduler": {"type": "MultiStepLR", "milestones": [3, 7, 7, 12], "gamma": 0.3}},
    {"name": "exponentiallr", "optimizer": "Adam", "options": {"lr": 0.05},
     "scheduler": {"type": "ExponentialLR", "gamma": 0.9}},
    {"name": "cosineannealinglr", "optimizer": "SGD", "options": {"lr": 0.2, "momentum": 0.9},
     "scheduler": {"type": "CosineAnnealingLR", "T_max": 6, "eta_min": 0.01}},
    {"name": "cosineannealinglr_groups", "optimizer": "Adam", "options": {"lr": 0.05},
     "groups": [{"params": ["W", "b", "u"]}, {"params": ["v"], "options": {"lr": 0.02}}],
     "scheduler": {"type": "CosineAnnealingLR", "T_max": 7}},
    {"name": "reducelronplateau", "optimizer": "SGD", "options": {"lr": 0.3},
     "scheduler": {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 1, "threshold": 0.05}},
    {"name": "reducelronplateau_abs_cooldown", "optimizer": "RMSprop", "options": {"lr": 0.05},
     "groups": [{"params": ["W", "b", "u"]}, {"params": ["v"], "options": {"lr": 0.02}}],
     "scheduler": {"type": "ReduceLROnPlateau", "factor": 0.3, "patience": 0, "threshold": 0.01,
                   "threshold_mode": "abs", "cooldown": 2, "min_lr": [0.004, 0.001]}},
    {"name": "reducelronplateau_max", "optimizer": "SGD", "options": {"lr": 0.2},
     "scheduler": {"type": "ReduceLROnPlateau", "mode": "max", "factor": 0.5, "patience": 2, "min_lr": 0.03}},
    {"name": "lambdalr", "optimizer": "SGD", "options": {"lr": 0.2, "momentum": 0.9},
     "scheduler": {"type": "LambdaLR", "lr_lambda": "inverse"}},
    {"name": "lambdalr_groups", "optimizer": "Adagrad", "options": {"lr": 0.2},
     "groups": [{"params": ["W", "u"]}, {"params": ["b", "v"], "options": {"lr": 0.1}}],
     "scheduler": {"type": "LambdaLR", "lr_lambda": ["inverse", "power"]}},
    # Gradient clipping before every step.
    {"name": "clip_grad_norm", "optimizer": "SGD", "options": {"lr": 0.5},
     "clip": {"type": "norm", "max_norm": 0.1, "norm_type": 2.0}},
    {"name": "clip_grad_norm_l1", "optimizer": "SGD", "options": {"lr": 0.5, "momentum": 0.5},
     "clip": {"type": "norm", "max_norm": 0.2, "norm_type": 1.0}},
    {"name": "clip_grad_norm_p3", "optimizer": "SGD", "options": {"lr": 0.5},
     "clip": {"type": "norm", "max_norm": 0.1, "norm_type": 3.0}},
    {"name": "clip_grad_norm_inf", "optimizer": "Adam", "options": {"lr": 0.05},
     "clip": {"type": "norm", "max_norm": 0.05, "norm_type": "inf"}},
    {"name": "clip_grad_value", "optimizer": "SGD", "options": {"lr": 0.5},
     "clip": {"type": "value", "clip_value": 0.05}},
]


def main():
    out_cases = []
    for case in CASES:
        clip = case.get("clip")
        if clip is not None and clip.get("norm_type") == "inf":
            case = dict(case, clip=dict(clip, norm_type=math.inf))
        trajectory, lrs, norms, recorded = run(case, foreach=False)
        default_trajectory, _, _, _ = run(case, foreach=None)
        worst = max(abs(a - b) / max(abs(b), 1e-12)
                    for row, default_row in zip(trajectory, default_trajectory)
                    for a, b in zip(row, default_row))
        if worst > 1e-13:
            raise AssertionError(f"{case['name']}: default path differs from foreach=False by {worst}")
        print(f"{case['name']:36s} foreach=None vs False: max rel diff {worst:.1e}")
        entry = {k: case[k] for k in ("name", "optimizer", "options", "groups", "scheduler", "clip") if k in case}
        if clip is not None and clip.get("norm_type") == "inf":
            entry["clip"] = dict(clip, norm_type="inf")
        entry["resolved_groups"] = recorded
        entry["trajectory"] = trajectory
        if "scheduler" in case:
            entry["lrs"] = lrs
        if norms:
            entry["total_norms"] = norms
        out_cases.append(entry)

    defaults = {}
    for name, cls in OPTIMIZERS.items():
        optimizer = cls([torch.zeros(1, dtype=torch.float64, requires_grad=True)])
        defaults[name] = {k: (list(optimizer.defaults[k]) if isinstance(optimizer.defaults[k], tuple)
                              else optimizer.defaults[k]) for k in RECORDED_OPTIONS[name]}

    golden = {
        "torch_version": torch.__version__,
        "steps": STEPS,
        "x": X.tolist(),
        "y": Y.tolist(),
        "initial": INITIAL,
        "trajectory_params": TRAJECTORY_PARAMS,
        "all_params": ALL_PARAMS,
        "defaults": defaults,
        "cases": out_cases,
    }
    path = Path(__file__).with_name("optim_golden.json")
    path.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print(f"wrote {len(out_cases)} cases to {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
