#!/usr/bin/env python3
"""How far one unit in the last place carries in a training run: PyTorch against itself.

Usage (from the repository root; any flags of shared/bench/torch_train.py after the epochs):

    Scripts/ulp-sensitivity.py --epochs 40 --optimizer rmsprop --layers 3 --hidden 30 --text "To be, or not to be"

Trains the reference model twice in float64 with torch_train.py: once from its own initial
weights, once from the same weights with a single element (the last of the first recurrent
weight) moved to the next float64. It prints the relative difference of the two loss curves at
every epoch and the first epoch where it passes 1e-8.

A run that amplifies a one-ulp change past 1e-8 cannot agree with PyTorch to 1e-8 unless every
operation rounds exactly as PyTorch's kernels do (including MKL's order of summation), so a
parity failure of `examples train` on such a configuration says nothing about the formulas;
the same configuration with a stable curve here must agree to 1e-8.
"""
import argparse
import csv
import os
import subprocess
import tempfile


def losses(path):
    with open(path) as f:
        return [float(row[1]) for row in list(csv.reader(f))[1:]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--python", default=".venv-torch/bin/python")
    parser.add_argument("--trainer", default="../shared/bench/torch_train.py")
    args, trainer_flags = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as folder:
        init, nudged = os.path.join(folder, "init.safetensors"), os.path.join(folder, "nudged.safetensors")
        first, second = os.path.join(folder, "first.csv"), os.path.join(folder, "second.csv")
        common = [args.python, args.trainer, "--dtype", "float64", "--epochs", str(args.epochs)] + trainer_flags
        subprocess.run(common + ["--save-init", init, "--losses", first], check=True, stdout=subprocess.DEVNULL)
        nudge = (
            "import sys, numpy as np, torch\n"
            f"sys.path.insert(0, {os.path.dirname(os.path.abspath(args.trainer))!r})\n"
            "from torch_train import load_safetensors, save_safetensors\n"
            f"state = load_safetensors({init!r})\n"
            "weight = state['rnn.weight_hh_l0'].view(-1)\n"
            "weight[-1] = torch.from_numpy(np.nextafter(weight[-1:].numpy(), np.inf))\n"
            f"save_safetensors({nudged!r}, state)\n"
        )
        subprocess.run([args.python, "-c", nudge], check=True)
        subprocess.run(common + ["--init", nudged, "--losses", second], check=True, stdout=subprocess.DEVNULL)
        a, b = losses(first), losses(second)
    first_above, largest = None, (0.0, 0)
    for epoch, (x, y) in enumerate(zip(a, b), start=1):
        difference = abs(x - y) / max(abs(x), 1e-300)
        print(f"epoch {epoch:4d}  loss {x:.17g}  relative difference {difference:.2e}")
        if difference > 1e-8 and first_above is None:
            first_above = epoch
        largest = max(largest, (difference, epoch))
    print(f"largest relative difference {largest[0]:.2e} (epoch {largest[1]}); "
          f"first epoch above 1e-8: {first_above or 'none'}")


if __name__ == "__main__":
    main()
