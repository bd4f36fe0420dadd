"""Golden runs for the `examples gpt` contract, produced by the reference trainer.

Runs ../../../../shared/bench/torch_gpt.py (the PyTorch implementation of the contract) in
float64 on tiny configurations over gpt_text.txt (the first 3000 characters of Tiny
Shakespeare), saving each run's initial weights (--save-init, gpt_init_<name>.safetensors),
its per-iteration losses and its evaluations into gpt_golden.json, so that the Swift tests
start from the same weights and compare.
Run with a PyTorch install: .venv-torch/bin/python Tests/ExamplesTests/Golden/make_gpt_golden.py
"""
import csv, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.join(HERE, "..", "..", "..", "..", "shared", "bench", "torch_gpt.py")
TINY = ["--n-layer", "2", "--n-head", "2", "--n-embd", "8", "--block-size", "8", "--batch-size", "2"]

CASES = {
    # 200 iterations past the warm-up and through the cosine decay, evaluated every 50.
    "nobias": TINY + ["--max-iters", "200", "--warmup-iters", "20", "--eval-interval", "50", "--eval-iters", "3",
                      "--lr", "0.01"],
    # Biases, a tighter clip, more weight decay, and the min-lr tail after --lr-decay-iters.
    "bias": TINY + ["--bias", "--max-iters", "60", "--warmup-iters", "5", "--lr-decay-iters", "40", "--grad-clip", "0.5",
                    "--weight-decay", "0.2", "--beta2", "0.95", "--eval-interval", "30", "--eval-iters", "2",
                    "--seed", "7"],
}


def read(path, columns):
    with open(path) as f:
        return [[float(row[c]) for c in columns] for row in csv.DictReader(f)]


def main():
    golden = {"text": "gpt_text.txt"}
    for name, flags in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            losses, evals = os.path.join(tmp, "losses.csv"), os.path.join(tmp, "evals.csv")
            subprocess.run(
                [sys.executable, TRAINER, "--file", os.path.join(HERE, "gpt_text.txt"), "--dtype", "float64",
                 "--save-init", os.path.join(HERE, f"gpt_init_{name}.safetensors"), "--losses", losses,
                 "--evals", evals] + flags, check=True, stdout=subprocess.DEVNULL)
            golden[name] = {"flags": flags, "losses": [r[0] for r in read(losses, ["loss"])],
                            "evals": read(evals, ["iter", "train", "val"])}
    with open(os.path.join(HERE, "gpt_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
