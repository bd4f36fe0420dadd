"""Golden loss curves for the `examples train` contract, produced by the reference trainer.

Runs ../../../../shared/bench/torch_train.py (the PyTorch implementation of the contract) in
float64 on small configurations, saving each run's initial weights (--save-init) and its
per-epoch losses, so the Swift tests can start from the same weights and compare curves.
Run with a PyTorch install: .venv-torch/bin/python Tests/ExamplesTests/Golden/make_train_golden.py
"""
import json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.join(HERE, "..", "..", "..", "..", "shared", "bench", "torch_train.py")

CASES = {
    "adam_amsgrad": ["--optimizer", "adam", "--lr", "0.01", "--amsgrad", "--betas", "0.8,0.99"],
    "sgd_nesterov": ["--optimizer", "sgd", "--lr", "0.5", "--momentum", "0.9", "--nesterov", "--weight-decay", "0.001"],
    "sgd_dampening": ["--optimizer", "sgd", "--lr", "0.3", "--momentum", "0.5", "--dampening", "0.2"],
    "adamw": ["--optimizer", "adamw", "--lr", "0.02", "--weight-decay", "0.05"],
    "adagrad": ["--optimizer", "adagrad", "--lr", "0.3", "--lr-decay", "0.01", "--initial-accumulator", "0.1"],
    # The coursework recipe is chaotic (eps 1e-18 turns rounding-level gradients into full steps,
    # so ulp-level differences grow about tenfold per epoch): compare its first 12 epochs only.
    "rmsprop_coursework": ["--optimizer", "rmsprop", "--lr", "0.4", "--alpha", "0.5", "--eps", "1e-18", "--hidden", "5",
                           "--epochs", "12"],
    "rmsprop_centered": ["--optimizer", "rmsprop", "--lr", "0.01", "--centered", "--momentum", "0.5"],
    "relu_2layers_nobias": ["--optimizer", "adam", "--lr", "0.01", "--layers", "2", "--nonlinearity", "relu", "--no-bias",
                             "--text", "hello world, hello!"],
}

def main():
    golden = {}
    for name, flags in CASES.items():
        init = os.path.join(HERE, f"train_init_{name}.safetensors")
        losses = os.path.join(HERE, "tmp_losses.csv")
        args = [sys.executable, TRAINER, "--dtype", "float64", "--seed", "1",
                "--save-init", init, "--losses", losses] + (flags if "--epochs" in flags else ["--epochs", "40"] + flags)
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        summary = json.loads(out.strip().splitlines()[-1])
        curve = [float(line.split(",")[1]) for line in open(losses).read().split("\n")[1:] if line]
        golden[name] = {"flags": flags if "--epochs" in flags else ["--epochs", "40"] + flags,
                        "losses": curve, "prediction": summary["prediction"]}
        os.remove(losses)
    with open(os.path.join(HERE, "train_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)

if __name__ == "__main__":
    main()
