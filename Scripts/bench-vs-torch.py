#!/usr/bin/env python3
"""Runs `examples bench` and shared/bench/torch_baseline.py side by side and prints a Markdown table.

Usage (from the repository root, after `swift build -c release`):

    Scripts/bench-vs-torch.py --threads 1 --corpus ../shared/data/tinyshakespeare.txt [--rounds 3]

Each round runs every workload once with ours and once with PyTorch, one after the other, so
that both see the same machine load; the table reports each side's best round (the least
disturbed one), and the ratio PyTorch / ours (time per step, or GFLOP/s ours / PyTorch for the
GEMMs) of the best rounds and of the median rounds: above 1 means faster than PyTorch. Ratios
have three decimals, so that one on the edge of a target (1.2x, say) reads as met or not. Needs
a Python with torch (default: .venv-torch/bin/python).
"""
import argparse
import json
import statistics
import subprocess
import sys

WORKLOADS = ["acknowledgement", "edgement", "sentence", "charrnn", "charrnn_batched",
             "lstm_batched", "gru_batched", "gpt_char", "gemm128", "gemm512", "gemm1024", "gemm2048"]


def run(command):
    """The JSON lines a bench command prints, by workload."""
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {line["workload"]: line for line in lines}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default=",".join(WORKLOADS))
    parser.add_argument("--python", default=".venv-torch/bin/python")
    parser.add_argument("--examples", default=".build/release/examples")
    parser.add_argument("--baseline", default="../shared/bench/torch_baseline.py")
    args = parser.parse_args()
    workloads = args.only.split(",")
    ours, torch = {}, {}  # workload -> the figure of every round (µs/step, or GFLOP/s)

    def keep(figures, results):
        for name, line in results.items():
            figures.setdefault(name, []).append(line["gflops"] if "gflops" in line else line["us_per_step"])

    for round_ in range(args.rounds):
        for name in workloads:
            common = ["--threads", str(args.threads), "--corpus", args.corpus, "--only", name]
            keep(ours, run([args.examples, "bench"] + common))
            keep(torch, run([args.python, args.baseline] + common))
        print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)

    threads = f"{args.threads} thread{'s' if args.threads > 1 else ''}"
    print(f"| workload ({threads}) | ours, best | PyTorch, best | ratio of bests | ratio of medians |")
    print("|---|---|---|---|---|")
    for name in workloads:
        if name not in ours or name not in torch:
            continue
        rate = name.startswith("gemm")  # GFLOP/s: higher is better
        best = max if rate else min
        unit = "GFLOP/s" if rate else "µs/step"
        o, t = best(ours[name]), best(torch[name])
        mo, mt = statistics.median(ours[name]), statistics.median(torch[name])
        ratio, median_ratio = (o / t, mo / mt) if rate else (t / o, mt / mo)
        print(f"| {name} | {o:.1f} {unit} | {t:.1f} {unit} | {ratio:.3f}× | {median_ratio:.3f}× |")


if __name__ == "__main__":
    main()
