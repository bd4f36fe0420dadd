"""Golden `.pt` files for SwiftTorch's PyTorch file reader and writer (Tests/NNTests/TorchFile*,
Tests/OptimTests/TorchOptimizerStateTests).

Generate (PyTorch 2.15), from the repository root:

    .venv-torch/bin/python Tests/NNTests/Golden/Torch/make_torch_golden.py

writes next to this script:
  dtypes.pt      {name: 1-d tensor} for every supported dtype          + expected.json["dtypes"]
  views.pt       transposed / sliced / strided views, 0-d, empty, tensors sharing one storage, a
                 Parameter                                              + expected.json["views"]
  nested.pt      a checkpoint dict: state dict under "model", ints, floats, strings, bools, None,
                 lists, tuples, nested dicts                            + expected.json["nested"]
  linear_f32.pt  torch.save(nn.Linear(3, 2).state_dict()) in float32   + expected.json["linear_f32"]
  optim_<name>.pt {"model": state dict, "optimizer": optimizer.state_dict()} after 5 float64
                 steps of each optimizer configuration, and in expected.json["optim"][name] the
                 parameters after each of the next 50 steps of PyTorch's continuation.

Check files written by SwiftTorch (what `torch.load(weights_only=True)` makes of them):

    SWIFTTORCH_PT_CHECK_DIR=/tmp/ptcheck swift test --filter TorchFileWriteTests
    .venv-torch/bin/python Tests/NNTests/Golden/Torch/make_torch_golden.py --check /tmp/ptcheck

The check loads every file with warnings turned into errors, loads the state dicts into the
modules with strict keys, compares values with those the Swift tests wrote to expected.json in
that directory, and continues the Swift-saved Adam training in PyTorch, comparing 50 steps with the
continuation Swift computed (1e-12).
"""
import json
import math
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def described(t):
    return {"shape": list(t.shape), "values": values(t.double() if t.dtype != torch.bool else t.to(torch.float64))}


# The optimizer configurations of the continuation goldens: (name, constructor over groups).
def optimizer_configs():
    return {
        "sgd": lambda groups: torch.optim.SGD(groups, lr=0.05),
        "sgd_momentum": lambda groups: torch.optim.SGD(groups, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
        "sgd_nesterov": lambda groups: torch.optim.SGD(groups, lr=0.05, momentum=0.9, nesterov=True),
        "adam": lambda groups: torch.optim.Adam(groups, lr=0.01, weight_decay=0.01),
        "adam_amsgrad": lambda groups: torch.optim.Adam(groups, lr=0.01, amsgrad=True, betas=(0.8, 0.99)),
        "adamw": lambda groups: torch.optim.AdamW(groups, lr=0.01),
        "adagrad": lambda groups: torch.optim.Adagrad(groups, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
        "rmsprop": lambda groups: torch.optim.RMSprop(groups, lr=0.01, momentum=0.5, centered=True),
    }


def problem():
    """A small float64 regression: Linear(3, 2), loss sum((model(x) - y)^2)."""
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2).double()
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-1.0, 0.5, 0.5], [0.3, 0.2, 0.1]], dtype=torch.float64)
    y = torch.tensor([[1.0, -1.0], [0.5, 2.0], [-0.5, 0.0], [0.25, 0.75]], dtype=torch.float64)
    return model, x, y


def step(model, optimizer, x, y):
    optimizer.zero_grad()
    d = model(x) - y
    (d * d).sum().backward()
    optimizer.step()


def generate():
    expected = {}
    # Every dtype.
    base = [0.0, 1.5, -2.25, 100.0, -0.125]
    tensors = {
        "float32": torch.tensor(base + [3.4e38, 1e-45], dtype=torch.float32),
        "float64": torch.tensor(base + [1e300, 5e-324, 0.1], dtype=torch.float64),
        "float16": torch.tensor(base + [65504.0, 6e-8], dtype=torch.float16),
        "bfloat16": torch.tensor(base + [3e38], dtype=torch.bfloat16),
        "int64": torch.tensor([0, 1, -1, 2**40, -(2**50)], dtype=torch.int64),
        "int32": torch.tensor([0, 7, -2**31, 2**31 - 1], dtype=torch.int32),
        "int16": torch.tensor([0, -32768, 32767, 5], dtype=torch.int16),
        "int8": torch.tensor([0, -128, 127, -3], dtype=torch.int8),
        "uint8": torch.tensor([0, 255, 128, 3], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
    }
    torch.save(tensors, os.path.join(HERE, "dtypes.pt"))
    expected["dtypes"] = {k: described(v) for k, v in tensors.items()}

    # Views.
    torch.manual_seed(1)
    weight = torch.randn(3, 4, dtype=torch.float64)
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    shared = torch.randn(5)
    views = {
        "transposed": weight.t(),
        "slice": base[1:3],
        "column": base[:, 2],
        "strided": base[::2, 1::3],
        "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 3),
        "tied_a": shared,
        "tied_b": shared,
        "tied_view": shared[2:],
        "parameter": torch.nn.Parameter(torch.tensor([[1.0, 2.0]])),
        "expanded": torch.tensor([1.0, 2.0]).expand(3, 2),
    }
    torch.save(views, os.path.join(HERE, "views.pt"))
    expected["views"] = {k: dict(described(v), strides=list(v.stride()), offset=v.storage_offset()) for k, v in views.items()}

    # A checkpoint dict with plain Python values.
    torch.manual_seed(2)
    lin = torch.nn.Linear(2, 2).double()
    nested = {
        "model": lin.state_dict(),
        "iter_num": 5000,
        "best_val_loss": 1.25,
        "big": 2**40,
        "negative": -7,
        "long_negative": -(2**62),
        "name": "gpt \u00e9\U0001F642",
        "flag": True,
        "off": False,
        "nothing": None,
        "config": {"n_layer": 2, "betas": (0.9, 0.95), "items": [1, 2.5, "x", None, [True]], "empty": {}, "t": ()},
        3: "int key",
    }
    torch.save(nested, os.path.join(HERE, "nested.pt"))
    expected["nested"] = {k: described(v) for k, v in lin.state_dict().items()}

    # A float32 state dict.
    torch.manual_seed(3)
    linear = torch.nn.Linear(3, 2)
    torch.save(linear.state_dict(), os.path.join(HERE, "linear_f32.pt"))
    expected["linear_f32"] = {k: described(v) for k, v in linear.state_dict().items()}

    # Optimizers: 5 steps, save, 50 more steps.
    expected["optim"] = {}
    for name, make in optimizer_configs().items():
        model, x, y = problem()
        groups = [{"params": [model.weight]}, {"params": [model.bias], "lr": 0.02}]
        optimizer = make(groups)
        for _ in range(5):
            step(model, optimizer, x, y)
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, os.path.join(HERE, f"optim_{name}.pt"))
        trajectory = []
        for _ in range(50):
            step(model, optimizer, x, y)
            trajectory.append(values(model.weight) + values(model.bias))
        expected["optim"][name] = {"x": values(x), "y": values(y), "trajectory": trajectory}

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


def check(directory):
    """Loads the files SwiftTorch wrote into `directory` and compares them with its expected.json."""
    warnings.simplefilter("error")
    with open(os.path.join(directory, "expected.json")) as f:
        expected = json.load(f)
    failures = 0

    def close(name, tensor, want, tolerance=0.0):
        nonlocal failures
        got = values(tensor)
        if list(tensor.shape) != want["shape"] or any(abs(a - b) > tolerance for a, b in zip(got, want["values"])):
            print(f"MISMATCH {name}: {list(tensor.shape)} {got[:6]} vs {want['shape']} {want['values'][:6]}")
            failures += 1

    for file_name, entries in expected["state_dicts"].items():
        state = torch.load(os.path.join(directory, file_name), weights_only=True)
        dtype = torch.float64 if entries["dtype"] == "float64" else torch.float32
        model = torch.nn.Linear(3, 2).to(dtype)
        model.load_state_dict(state, strict=True)
        for key, want in entries["tensors"].items():
            if state[key].dtype != dtype:
                print(f"MISMATCH {file_name}/{key}: dtype {state[key].dtype}")
                failures += 1
            close(f"{file_name}/{key}", state[key], want)
        print(f"ok {file_name}: load_state_dict(strict=True) into Linear(3, 2) {dtype}")

    value = torch.load(os.path.join(directory, "values.pt"), weights_only=True)
    if value != expected["values_repr"] and repr(value) != expected["values_repr"]:
        print(f"MISMATCH values.pt: {value!r}")
        failures += 1
    else:
        print("ok values.pt:", repr(value))

    for name, want in expected["checkpoints"].items():
        checkpoint = torch.load(os.path.join(directory, f"{name}.pt"), weights_only=True)
        model, x, y = problem()
        model.load_state_dict(checkpoint["model"], strict=True)
        groups = [{"params": [model.weight]}, {"params": [model.bias], "lr": 0.02}]
        optimizer = optimizer_configs()[name](groups)
        optimizer.load_state_dict(checkpoint["optimizer"])
        for index, row in enumerate(want["trajectory"]):
            step(model, optimizer, x, y)
            got = values(model.weight) + values(model.bias)
            worst = max(abs(a - b) for a, b in zip(got, row))
            if worst > 1e-12:
                print(f"MISMATCH {name}.pt continuation step {index + 1}: off by {worst}")
                failures += 1
                break
        else:
            print(f"ok {name}.pt: {type(optimizer).__name__}.load_state_dict, 50 steps agree with SwiftTorch to 1e-12")
    print("check:", "FAILED" if failures else "all files read by torch.load(weights_only=True) without warnings")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    generate()
