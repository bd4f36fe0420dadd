"""Golden loss trajectories for `examples min-char-rnn`: Karpathy's min-char-rnn.py in NumPy.

The algorithm is min-char-rnn's (lossFun, the training loop, the smooth loss), with three
changes the command's contract makes: the initial weights are fixed and written to a
safetensors file (keys Wxh, Whh, Why, bh, by) so `examples min-char-rnn --init` starts from the
same point; the optimizer can be SGD or RMSprop as well as Adagrad, with eps, decay and clip as
options; and a chunk predicts L = min(seq_length, len(data) - 1) characters, so a text no longer
than seq_length + 1 trains on the whole text every iteration.

Two NumPy implementations that differ only in the order of additions in one place part after
some iterations in chaotic runs: the horizon. Each case is also run with the hidden
pre-activation summed as Wxh x + (Whh h + bh) instead of (Wxh x + Whh h) + bh, and with the
softmax denominator summed in reverse order; the horizon is the number of leading iterations
at which all three agree to 1e-12 relative (loss and smooth loss; the run length, 1500, if they
never part). The golden losses stop well inside it (the Swift test compares them to 1e-9), and
the horizon is recorded. Measured: 1500+ for Adagrad eps 1e-8 on the paragraph, SGD on the
sentence and SGD without biases, 1112 for Adagrad eps 1e-3, 1384 for RMSprop. (On
tinyshakespeare with min-char-rnn's own settings, hidden 100, seq 25, Adagrad lr 0.1 eps 1e-8,
the variants part past 1e-9 at iteration 44 and 92, so a book is no place for golden data.)

Needs only NumPy: .venv-torch/bin/python Tests/ExamplesTests/Golden/make_minchar_golden.py
"""
import json, os, struct, sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

SENTENCE = "Amazon is river."
PARAGRAPH = ("It was the best of times, it was the worst of times, it was the age of wisdom, "
             "it was the age of foolishness, it was the epoch of belief.")

# name: text, hidden, seq_length, optimizer, lr, eps, decay, clip, bias; the golden losses are the
# first `keep` iterations of a run of `iterations` that measures the horizon.
CASES = {
    "adagrad": dict(text=PARAGRAPH, hidden=12, seq=10, optimizer="adagrad", lr=0.1, eps=1e-8, keep=150),
    "adagrad_eps1e-3": dict(text=PARAGRAPH, hidden=12, seq=10, optimizer="adagrad", lr=0.1, eps=1e-3, keep=150),
    "sgd_sentence": dict(text=SENTENCE, hidden=10, seq=25, optimizer="sgd", lr=0.001, keep=150),
    "rmsprop": dict(text=PARAGRAPH, hidden=8, seq=7, optimizer="rmsprop", lr=0.01, eps=1e-8, decay=0.9, keep=150),
    "sgd_nobias_clip": dict(text=PARAGRAPH, hidden=9, seq=12, optimizer="sgd", lr=0.05, clip=0.05, bias=False,
                            keep=150),
}
ITERATIONS = 1500


def vocabulary(text):
    chars = sorted(set(text))
    return chars, {ch: i for i, ch in enumerate(chars)}


def init_weights(seed, hidden, vocab, bias):
    rng = np.random.RandomState(seed)
    weights = {
        "Wxh": rng.randn(hidden, vocab) * 0.01,
        "Whh": rng.randn(hidden, hidden) * 0.01,
        "Why": rng.randn(vocab, hidden) * 0.01,
    }
    if bias:
        # Nonzero biases, so that the bias gradients and updates are exercised from the start.
        weights["bh"] = rng.randn(hidden, 1) * 0.01
        weights["by"] = rng.randn(vocab, 1) * 0.01
    return weights


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def loss_fun(w, inputs, targets, hprev, vocab, variant):
    """min-char-rnn's lossFun: summed cross-entropy, gradients by backpropagation through time."""
    Wxh, Whh, Why = w["Wxh"], w["Whh"], w["Why"]
    bh, by = w.get("bh"), w.get("by")
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    for t in range(len(inputs)):
        xs[t] = np.zeros((vocab, 1))
        xs[t][inputs[t]] = 1
        a, b = np.dot(Wxh, xs[t]), np.dot(Whh, hs[t - 1])
        if bh is None:
            pre = a + b
        else:
            pre = a + (b + bh) if variant == "bias" else a + b + bh
        hs[t] = np.tanh(pre)
        ys[t] = np.dot(Why, hs[t]) + (by if by is not None else 0)
        e = np.exp(ys[t])
        ps[t] = e / (np.sum(e[::-1]) if variant == "softmax" else np.sum(e))
        loss += -np.log(ps[t][targets[t], 0])
    grads = {k: np.zeros_like(v) for k, v in w.items()}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        grads["Why"] += np.dot(dy, hs[t].T)
        if by is not None:
            grads["by"] += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        if bh is not None:
            grads["bh"] += dhraw
        grads["Wxh"] += np.dot(dhraw, xs[t].T)
        grads["Whh"] += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    return loss, grads, hs[len(inputs) - 1]


def train(case, weights, variant=None):
    """min-char-rnn's training loop; returns the per-iteration (loss, smooth_loss)."""
    text = case["text"]
    chars, index = vocabulary(text)
    vocab, seq = len(chars), case["seq"]
    data = [index[ch] for ch in text]
    w = {k: np.copy(v) for k, v in weights.items()}
    mem = {k: np.zeros_like(v) for k, v in w.items()}
    lr, eps, decay, clip = case["lr"], case.get("eps", 1e-8), case.get("decay", 0.9), case.get("clip", 5.0)
    length = min(seq, len(data) - 1)
    n, p = 0, 0
    smooth_loss = -np.log(1.0 / vocab) * seq
    rows = []
    hprev = None
    while n < ITERATIONS:
        if p + seq + 1 >= len(data) or n == 0:
            hprev = np.zeros((case["hidden"], 1))
            p = 0
        inputs = data[p:p + length]
        targets = data[p + 1:p + length + 1]
        loss, grads, hprev = loss_fun(w, inputs, targets, hprev, vocab, variant)
        smooth_loss = smooth_loss * 0.999 + loss * 0.001
        rows.append((float(loss), float(smooth_loss)))
        for k in w:
            g = grads[k]
            np.clip(g, -clip, clip, out=g)
            if case["optimizer"] == "sgd":
                w[k] += -lr * g
            elif case["optimizer"] == "adagrad":
                mem[k] += g * g
                w[k] += -lr * g / np.sqrt(mem[k] + eps)
            else:
                mem[k] = decay * mem[k] + (1 - decay) * g * g
                w[k] += -lr * g / np.sqrt(mem[k] + eps)
        p += seq
        n += 1
    return rows


def horizon(a, b, tolerance=1e-12):
    """The number of leading iterations at which two trajectories agree to `tolerance` relative."""
    for i, (x, y) in enumerate(zip(a, b)):
        if any(abs(u - v) > tolerance * abs(v) for u, v in zip(x, y)):
            return i
    return len(a)


def flags(case):
    out = ["--text", case["text"], "--hidden", str(case["hidden"]), "--seq-length", str(case["seq"]),
           "--optimizer", case["optimizer"], "--lr", repr(case["lr"])]
    for key in ("eps", "decay", "clip"):
        if key in case:
            out += ["--" + key, repr(case[key])]
    if not case.get("bias", True):
        out.append("--no-bias")
    return out


def main():
    golden = {}
    for seed, (name, case) in enumerate(CASES.items()):
        chars, _ = vocabulary(case["text"])
        weights = init_weights(seed, case["hidden"], len(chars), case.get("bias", True))
        rows = train(case, weights)
        h = min(horizon(rows, train(case, weights, variant)) for variant in ("bias", "softmax"))
        print(f"{name}: the NumPy variants agree to 1e-12 for {h} of {len(rows)} iterations", file=sys.stderr)
        write_safetensors(os.path.join(HERE, f"minchar_init_{name}.safetensors"), weights)
        if h < 2 * case["keep"]:
            sys.exit(f"{name}: keep at most half the horizon ({h})")
        kept = rows[:case["keep"]]
        golden[name] = {"flags": flags(case) + ["--iterations", str(len(kept))], "horizon": h,
                        "loss": [r[0] for r in kept], "smooth_loss": [r[1] for r in kept]}
    # For the failing gradient check: weights and biases N(0, 30²) saturate tanh.
    saturated = {k: v * 3000 for k, v in init_weights(0, 10, len(set(SENTENCE)), True).items()}
    write_safetensors(os.path.join(HERE, "minchar_init_saturated.safetensors"), saturated)
    with open(os.path.join(HERE, "minchar_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)


if __name__ == "__main__":
    main()
