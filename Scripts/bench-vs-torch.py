#!/usr/bin/env python3
"""Runs `examples bench` and shared/bench/torch_baseline.py side by side and prints a Markdown table.

Usage (from the repository root, after `swift build -c release`):

    Scripts/bench-vs-torch.py --threads 1 --corpus ../shared/data/tinyshakespeare.txt [--rounds 3]

Each round runs every workload once with ours and once with PyTorch, one after the other, so
that both see the same machine load; the table reports each side's best round (the least
disturbed one) and the ratio PyTorch / ours (time per step, or GFLOP/s ours / PyTorch for the
GEMMs): above 1 means faster than PyTorch. Needs a Python with torch (default:
.venv-torch/bin/python).
"""
import argparse
import json
import subprocess
import sys

WORKLOADS = ["acknowledgement", "edgement", "sentence", "charrnn", "charrnn_batched",
             "gemm128", "gemm512", "gemm1024", "gemm2048"]


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
    ours_best, torch_best = {}, {}

    def keep(best, results):
        for name, line in results.items():
            if "gflops" in line:
                better = name not in best or line["gflops"] > best[name]["gflops"]
            else:
                better = name not in best or line["us_per_step"] < best[name]["us_per_step"]
            if better:
                best[name] = line

    for round_ in range(args.rounds):
        for name in workloads:
            common = ["--threads", str(args.threads), "--corpus", args.corpus, "--only", name]
            keep(ours_best, run([args.examples, "bench"] + common))
            keep(torch_best, run([args.python, args.baseline] + common))
        print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)

    print(f"| workload | ours | PyTorch | ratio |  ({args.threads} thread{'s' if args.threads > 1 else ''})")
    print("|---|---|---|---|")
    for name in workloads:
        ours, torch = ours_best.get(name), torch_best.get(name)
        if not ours or not torch:
            continue
        if "gflops" in ours:
            print(f"| {name} | {ours['gflops']:.1f} GFLOP/s | {torch['gflops']:.1f} GFLOP/s | "
                  f"{ours['gflops'] / torch['gflops']:.2f}× |")
        else:
            print(f"| {name} | {ours['us_per_step']:.1f} µs/step | {torch['us_per_step']:.1f} µs/step | "
                  f"{torch['us_per_step'] / ours['us_per_step']:.2f}× |")


if __name__ == "__main__":
    main()
