"""Generates randint_golden.json: torch.randint drawn from seeded CPU generators.

Run from the repository root with a PyTorch install:

    .venv-torch/bin/python Tests/TensorTests/Golden/make_randint_golden.py

Each case draws successive torch.randint(low, high, (count,), generator=g) calls from one
torch.Generator().manual_seed(seed), including ranges of 2^32 and more (64-bit draws) and
negative bounds and ranges on both sides of 2^28 (from which PyTorch 2.15 takes 64-bit draws), so that the test also checks how far each call advances the generator.
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    (1337, [(0, 65, 12), (0, 65, 12), (0, 1003790, 12)]),
    (1338, [(0, 1, 5), (-7, 3, 20), (0, 2**32 - 1, 6), (0, 2**32, 6), (0, 2**40 + 17, 6), (5, 9, 30)]),
    (0, [(-(2**40), 2**41, 7), (0, 1000, 700), (0, 2**28 - 1, 5), (0, 2**28, 5), (-3, 2**30, 300)]),
]


def main():
    cases = []
    for seed, calls in CASES:
        g = torch.Generator().manual_seed(seed)
        values = [torch.randint(low, high, (count,), generator=g).tolist() for low, high, count in calls]
        cases.append({"seed": seed, "calls": [{"low": l, "high": h, "count": c} for l, h, c in calls], "values": values})
    with open(os.path.join(HERE, "randint_golden.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
