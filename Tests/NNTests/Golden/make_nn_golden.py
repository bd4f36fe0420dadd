"""Generates the PyTorch reference values for the NN tests.

Run from the repository root with a PyTorch install:

    .venv-torch/bin/python Tests/NNTests/Golden/make_nn_golden.py

Writes, next to this script:
- layers.json   forward outputs and every gradient of Linear, Embedding, RNN, LSTM, GRU and the
                cells, in float64, for explicit weights;
- losses.json   every loss option in float64: values and gradients;
- init.json     the float32 parameters PyTorch's default initialisation draws for a given
                torch.manual_seed (CharRNN models, every layer, the nn.init functions);
- pytorch_charrnn_f32.safetensors, pytorch_charrnn_f64.safetensors and checkpoint.json: a CharRNN
                saved by PyTorch (with torch_train.py's writer) and its forward output;
- descriptions.json  print(model) of a few models;
- training.json the losses of the README's char-RNN trained by plain SGD from torch.manual_seed(0).

Tensors are {"shape": [...], "values": [...]} with values in row-major order; NaN is "NaN".
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def encode(t):
    t = t.detach().contiguous().reshape(-1)
    values = [float(v) for v in t.tolist()] if t.is_floating_point() else [int(v) for v in t.tolist()]
    if t.is_floating_point():
        values = ["NaN" if math.isnan(v) else v for v in values]
    return values


def tensor(t):
    return {"shape": list(t.shape), "values": encode(t)}


def write_json(name, payload):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


def random_parameters(module, generator):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.rand(p.shape, generator=generator, dtype=torch.float64) * 1.6 - 0.8)


def run_case(module, inputs, forward, generator):
    """forward(module, inputs) -> dict of named outputs; loss = sum(output * upstream)."""
    for t in inputs.values():
        if t is not None and t.is_floating_point():
            t.requires_grad_(True)
    outputs = forward(module, inputs)
    upstream = {k: torch.rand(v.shape, generator=generator, dtype=torch.float64) * 2 - 1 for k, v in outputs.items()}
    loss = sum((outputs[k] * upstream[k]).sum() for k in outputs)
    loss.backward()
    grads = {name: tensor(p.grad) for name, p in module.named_parameters()}
    for name, t in inputs.items():
        if t is not None and t.is_floating_point():
            grads[name] = tensor(t.grad)
    return {
        "keys": list(module.state_dict().keys()),
        "params": {k: tensor(v) for k, v in module.state_dict().items()},
        "inputs": {k: tensor(v) for k, v in inputs.items() if v is not None},
        "outputs": {k: tensor(v) for k, v in outputs.items()},
        "upstream": {k: tensor(v) for k, v in upstream.items()},
        "grads": grads,
    }


def layer_cases():
    g = torch.Generator().manual_seed(1234)

    def rand(*shape):
        return torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1

    cases = []

    # Linear
    for name, bias, shape in [("linear", True, (2, 3)), ("linear_nobias_3d", False, (2, 2, 3)), ("linear_1d", True, (3,))]:
        m = nn.Linear(3, 4, bias=bias).double()
        random_parameters(m, g)
        case = run_case(m, {"input": rand(*shape)}, lambda m, i: {"output": m(i["input"])}, g)
        cases.append({"name": name, "kind": "linear", "config": {"input": 3, "output": 4, "bias": bias}, **case})

    # Embedding
    m = nn.Embedding(5, 3, padding_idx=1).double()
    random_parameters(m, g)
    idx = torch.tensor([[0, 1, 3], [3, 4, 1]])
    case = run_case(m, {"indices": idx}, lambda m, i: {"output": m(i["indices"])}, g)
    cases.append({"name": "embedding_padding", "kind": "embedding", "config": {"count": 5, "size": 3, "padding": 1}, **case})

    B, T, I, H = 2, 3, 3, 4

    def recurrent_input(batched, batch_first):
        if not batched:
            return rand(T, I)
        return rand(B, T, I) if batch_first else rand(T, B, I)

    def state(layers, directions, batched, size):
        return rand(layers * directions, B, size) if batched else rand(layers * directions, size)

    # RNN: (layers, nonlinearity, bias, batch_first, bidirectional, h0, batched, dropout)
    rnn_configs = [
        (1, "tanh", True, True, False, False, True, 0.0),
        (1, "relu", True, False, False, True, True, 0.0),
        (2, "tanh", False, True, False, True, True, 0.0),
        (2, "relu", True, False, True, False, True, 0.0),
        (1, "tanh", True, True, True, True, True, 0.0),
        (2, "tanh", True, True, True, True, True, 0.0),
        (1, "relu", False, True, True, False, True, 0.0),
        (2, "relu", False, False, False, True, True, 0.0),
        (2, "tanh", True, False, True, True, False, 0.0),
        (1, "relu", True, True, False, False, False, 0.0),
        (2, "tanh", True, True, False, False, True, 0.3),
    ]
    for layers, nl, bias, bf, bidir, with_h0, batched, dropout in rnn_configs:
        m = nn.RNN(I, H, layers, nonlinearity=nl, bias=bias, batch_first=bf, dropout=dropout, bidirectional=bidir).double()
        random_parameters(m, g)
        if dropout > 0:
            m.eval()
        d = 2 if bidir else 1
        inputs = {"input": recurrent_input(batched, bf), "h0": state(layers, d, batched, H) if with_h0 else None}
        case = run_case(m, inputs, lambda m, i: dict(zip(("output", "h_n"), m(i["input"], i["h0"]))), g)
        name = f"rnn_l{layers}_{nl}_{'bias' if bias else 'nobias'}_{'bf' if bf else 'sf'}_{'bi' if bidir else 'uni'}" \
               f"_{'h0' if with_h0 else 'noh0'}_{'batched' if batched else 'unbatched'}" + ("_dropout_eval" if dropout else "")
        config = {"input": I, "hidden": H, "layers": layers, "nonlinearity": nl, "bias": bias, "batchFirst": bf,
                  "bidirectional": bidir, "dropout": dropout, "eval": dropout > 0}
        cases.append({"name": name, "kind": "rnn", "config": config, **case})

    # LSTM: (layers, bias, batch_first, bidirectional, state, batched, proj)
    for layers, bias, bf, bidir, with_state, batched, proj in [
        (1, True, True, False, False, True, 0),
        (2, False, False, True, True, True, 0),
        (2, True, True, True, True, True, 2),
        (1, True, False, False, True, False, 0),
    ]:
        m = nn.LSTM(I, H, layers, bias=bias, batch_first=bf, bidirectional=bidir, proj_size=proj).double()
        random_parameters(m, g)
        d = 2 if bidir else 1
        p = proj if proj else H
        inputs = {"input": recurrent_input(batched, bf),
                  "h0": state(layers, d, batched, p) if with_state else None,
                  "c0": state(layers, d, batched, H) if with_state else None}

        def forward(m, i):
            out, (h, c) = m(i["input"], (i["h0"], i["c0"]) if i["h0"] is not None else None)
            return {"output": out, "h_n": h, "c_n": c}

        case = run_case(m, inputs, forward, g)
        config = {"input": I, "hidden": H, "layers": layers, "bias": bias, "batchFirst": bf, "bidirectional": bidir,
                  "projection": proj}
        name = f"lstm_l{layers}_{'bias' if bias else 'nobias'}_{'bf' if bf else 'sf'}_{'bi' if bidir else 'uni'}" \
               f"_{'state' if with_state else 'nostate'}_{'batched' if batched else 'unbatched'}_proj{proj}"
        cases.append({"name": name, "kind": "lstm", "config": config, **case})

    # GRU: (layers, bias, batch_first, bidirectional, h0, batched)
    for layers, bias, bf, bidir, with_h0, batched in [
        (1, True, True, False, False, True),
        (2, False, False, True, True, True),
        (2, True, True, False, True, False),
    ]:
        m = nn.GRU(I, H, layers, bias=bias, batch_first=bf, bidirectional=bidir).double()
        random_parameters(m, g)
        d = 2 if bidir else 1
        inputs = {"input": recurrent_input(batched, bf), "h0": state(layers, d, batched, H) if with_h0 else None}
        case = run_case(m, inputs, lambda m, i: dict(zip(("output", "h_n"), m(i["input"], i["h0"]))), g)
        config = {"input": I, "hidden": H, "layers": layers, "bias": bias, "batchFirst": bf, "bidirectional": bidir}
        name = f"gru_l{layers}_{'bias' if bias else 'nobias'}_{'bf' if bf else 'sf'}_{'bi' if bidir else 'uni'}" \
               f"_{'h0' if with_h0 else 'noh0'}_{'batched' if batched else 'unbatched'}"
        cases.append({"name": name, "kind": "gru", "config": config, **case})

    # Cells: (kind, bias, nonlinearity, with state, batched)
    for kind, bias, nl, with_state, batched in [
        ("rnn_cell", True, "tanh", True, True),
        ("rnn_cell", False, "relu", False, True),
        ("lstm_cell", True, None, True, True),
        ("lstm_cell", True, None, False, False),
        ("gru_cell", True, None, True, True),
        ("gru_cell", False, None, True, False),
    ]:
        if kind == "rnn_cell":
            m = nn.RNNCell(I, H, bias=bias, nonlinearity=nl).double()
        elif kind == "lstm_cell":
            m = nn.LSTMCell(I, H, bias=bias).double()
        else:
            m = nn.GRUCell(I, H, bias=bias).double()
        random_parameters(m, g)
        shape_x = (B, I) if batched else (I,)
        shape_h = (B, H) if batched else (H,)
        inputs = {"input": rand(*shape_x), "h0": rand(*shape_h) if with_state else None}
        if kind == "lstm_cell":
            inputs["c0"] = rand(*shape_h) if with_state else None

            def forward(m, i):
                h, c = m(i["input"], (i["h0"], i["c0"]) if i["h0"] is not None else None)
                return {"h_n": h, "c_n": c}
        else:
            def forward(m, i):
                return {"h_n": m(i["input"], i["h0"])}
        case = run_case(m, inputs, forward, g)
        config = {"input": I, "hidden": H, "bias": bias, "nonlinearity": nl or "tanh"}
        name = f"{kind}_{'bias' if bias else 'nobias'}_{nl or ''}_{'state' if with_state else 'nostate'}" \
               f"_{'batched' if batched else 'unbatched'}"
        cases.append({"name": name, "kind": kind, "config": config, **case})
    return cases


def loss_cases():
    g = torch.Generator().manual_seed(99)

    def rand(*shape, low=-2.0, high=2.0):
        return torch.rand(shape, generator=g, dtype=torch.float64) * (high - low) + low

    def probabilities(*shape, dim=1):
        return torch.softmax(rand(*shape), dim=dim)

    cases = []

    def add(name, loss, fn, input, target, options, weight=None, pos_weight=None):
        input = input.clone().requires_grad_(True)
        target = target.clone()
        if target.is_floating_point():
            target.requires_grad_(True)
        out = fn(input, target)
        upstream = rand(*out.shape, low=0.5, high=1.5) if out.dim() > 0 else torch.ones((), dtype=torch.float64)
        (out * upstream).sum().backward()
        case = {"name": name, "loss": loss, "options": options, "input": tensor(input), "target": tensor(target),
                "targetIsIndex": not target.is_floating_point(), "output": tensor(out), "upstream": tensor(upstream),
                "gradInput": tensor(input.grad)}
        if target.is_floating_point():
            case["gradTarget"] = tensor(target.grad)
        if weight is not None:
            case["weight"] = tensor(weight)
        if pos_weight is not None:
            case["posWeight"] = tensor(pos_weight)
        cases.append(case)

    N, C = 5, 4
    logits = rand(N, C)
    targets = torch.tensor([2, 0, 3, 1, 2])
    ignored_targets = torch.tensor([2, -100, 3, 1, -100])
    custom_ignored = torch.tensor([2, 0, 3, 1, 1])
    class_weight = rand(C, low=0.2, high=2.0)
    reductions = ["mean", "sum", "none"]

    for red in reductions:
        for variant, tgt, w, ignore, smoothing in [
            ("plain", targets, None, -100, 0.0),
            ("weight", targets, class_weight, -100, 0.0),
            ("ignore", ignored_targets, None, -100, 0.0),
            ("custom_ignore", custom_ignored, None, 1, 0.0),
            ("weight_ignore", ignored_targets, class_weight, -100, 0.0),
            ("smoothing", targets, None, -100, 0.2),
            ("smoothing_ignore", ignored_targets, None, -100, 0.3),
            ("weight_ignore_smoothing", ignored_targets, class_weight, -100, 0.25),
        ]:
            options = {"reduction": red, "ignoreIndex": ignore, "labelSmoothing": smoothing}
            add(f"ce_index_{variant}_{red}", "cross_entropy",
                lambda x, t, w=w, ignore=ignore, smoothing=smoothing, red=red: F.cross_entropy(
                    x, t, weight=w, ignore_index=ignore, reduction=red, label_smoothing=smoothing),
                logits, tgt, options, weight=w)

    # K-dimensional: [N, C, d1, d2]
    kd_logits = rand(2, C, 2, 3)
    kd_targets = torch.tensor([[[0, 3, 1], [2, -100, 1]], [[3, 3, 0], [-100, 2, 1]]])
    for red in reductions:
        options = {"reduction": red, "ignoreIndex": -100, "labelSmoothing": 0.1}
        add(f"ce_index_kdim_weight_ignore_smoothing_{red}", "cross_entropy",
            lambda x, t, red=red: F.cross_entropy(x, t, weight=class_weight, reduction=red, label_smoothing=0.1),
            kd_logits, kd_targets, options, weight=class_weight)

    # Unbatched [C] with a 0-d target.
    for red in ["mean", "none"]:
        add(f"ce_index_unbatched_{red}", "cross_entropy", lambda x, t, red=red: F.cross_entropy(x, t, reduction=red),
            rand(C), torch.tensor(2), {"reduction": red, "ignoreIndex": -100, "labelSmoothing": 0.0})

    # Every element ignored: PyTorch's mean is NaN.
    all_ignored = torch.full((N,), -100)
    for smoothing in [0.0, 0.2]:
        add(f"ce_index_all_ignored_mean_smoothing{smoothing}", "cross_entropy",
            lambda x, t, s=smoothing: F.cross_entropy(x, t, label_smoothing=s), logits, all_ignored,
            {"reduction": "mean", "ignoreIndex": -100, "labelSmoothing": smoothing})

    # Probability targets.
    prob_targets = probabilities(N, C)
    for red in reductions:
        for variant, w, smoothing in [("plain", None, 0.0), ("weight", class_weight, 0.0), ("smoothing", None, 0.2),
                                      ("weight_smoothing", class_weight, 0.15)]:
            options = {"reduction": red, "ignoreIndex": -100, "labelSmoothing": smoothing}
            add(f"ce_prob_{variant}_{red}", "cross_entropy",
                lambda x, t, w=w, smoothing=smoothing, red=red: F.cross_entropy(
                    x, t, weight=w, reduction=red, label_smoothing=smoothing),
                logits, prob_targets, options, weight=w)
    for red in reductions:
        add(f"ce_prob_kdim_weight_smoothing_{red}", "cross_entropy",
            lambda x, t, red=red: F.cross_entropy(x, t, weight=class_weight, reduction=red, label_smoothing=0.1),
            kd_logits, probabilities(2, C, 2, 3), {"reduction": red, "ignoreIndex": -100, "labelSmoothing": 0.1},
            weight=class_weight)
    add("ce_prob_unbatched_mean", "cross_entropy", lambda x, t: F.cross_entropy(x, t), rand(C),
        probabilities(C, dim=0), {"reduction": "mean", "ignoreIndex": -100, "labelSmoothing": 0.0})

    # NLL on log-probabilities.
    log_probs = torch.log_softmax(rand(N, C), dim=1)
    for red in reductions:
        for variant, tgt, w, ignore in [("plain", targets, None, -100), ("weight_ignore", ignored_targets, class_weight, -100),
                                        ("custom_ignore", custom_ignored, class_weight, 1)]:
            add(f"nll_{variant}_{red}", "nll",
                lambda x, t, w=w, ignore=ignore, red=red: F.nll_loss(x, t, weight=w, ignore_index=ignore, reduction=red),
                log_probs, tgt, {"reduction": red, "ignoreIndex": ignore}, weight=w)
        add(f"nll_kdim_weight_{red}", "nll",
            lambda x, t, red=red: F.nll_loss(x, t, weight=class_weight, reduction=red),
            torch.log_softmax(kd_logits, dim=1), kd_targets, {"reduction": red, "ignoreIndex": -100}, weight=class_weight)

    # MSE.
    for red in reductions:
        add(f"mse_{red}", "mse", lambda x, t, red=red: F.mse_loss(x, t, reduction=red), rand(3, 4), rand(3, 4),
            {"reduction": red})

    # BCE with logits, including extreme logits.
    bce_logits = torch.cat([rand(3, 4, low=-4, high=4), torch.tensor([[-40.0, 35.0, 0.0, 12.0]], dtype=torch.float64)])
    bce_targets = torch.rand((4, 4), generator=g, dtype=torch.float64)
    bce_weight = rand(4, 1, low=0.2, high=2.0)
    pos_weight = rand(4, low=0.3, high=3.0)
    for red in reductions:
        for variant, w, pw in [("plain", None, None), ("weight", bce_weight, None), ("pos_weight", None, pos_weight),
                               ("weight_pos_weight", bce_weight, pos_weight)]:
            add(f"bce_logits_{variant}_{red}", "bce_with_logits",
                lambda x, t, w=w, pw=pw, red=red: F.binary_cross_entropy_with_logits(
                    x, t, weight=w, pos_weight=pw, reduction=red),
                bce_logits, bce_targets, {"reduction": red}, weight=w, pos_weight=pw)

    # NLL over enough rows (and magnitudes far enough apart) that the order of PyTorch's cascaded
    # sum shows in the last bits: the Swift test compares these values exactly.
    for rows in [37, 300]:
        wide = torch.log_softmax(rand(rows, C, low=-30, high=30), dim=1) * torch.exp(rand(rows, 1, low=-6, high=6))
        wide_targets = torch.randint(0, C, (rows,), generator=g)
        wide_ignored = wide_targets.clone()
        wide_ignored[::5] = -100
        for red in ["mean", "sum"]:
            add(f"nll_cascade_{rows}_{red}", "nll", lambda x, t, red=red: F.nll_loss(x, t, reduction=red),
                wide, wide_targets, {"reduction": red, "ignoreIndex": -100})
            add(f"nll_cascade_{rows}_weight_ignore_{red}", "nll",
                lambda x, t, red=red: F.nll_loss(x, t, weight=class_weight, reduction=red),
                wide, wide_ignored, {"reduction": red, "ignoreIndex": -100}, weight=class_weight)
    return cases


class CharRNN(nn.Module):
    """The model of /work/shared/bench/torch_train.py."""

    def __init__(self, V, H, L, bias, nonlinearity):
        super().__init__()
        self.rnn = nn.RNN(V, H, L, batch_first=True, bias=bias, nonlinearity=nonlinearity)
        self.fc = nn.Linear(H, V, bias=bias)

    def forward(self, x, h=None):
        out, h = self.rnn(x, h)
        return self.fc(out), h


def state(module):
    return {k: tensor(v) for k, v in module.state_dict().items()}


def init_cases():
    models = []
    for seed in [0, 1]:
        for V, H, L, bias, nl in [(12, 15, 1, True, "tanh"), (7, 5, 2, False, "relu"), (4, 6, 2, True, "tanh")]:
            torch.manual_seed(seed)
            m = CharRNN(V, H, L, bias, nl)
            models.append({"seed": seed, "kind": "charrnn", "config": {"vocabulary": V, "hidden": H, "layers": L,
                                                                      "bias": bias, "nonlinearity": nl},
                           "keys": list(m.state_dict().keys()), "params": state(m)})
    for seed, kind, build in [
        (0, "linear", lambda: nn.Linear(5, 3)),
        (3, "lstm", lambda: nn.LSTM(3, 4, 2, bidirectional=True, proj_size=2)),
        (4, "gru", lambda: nn.GRU(3, 4, 2, bias=False)),
        (5, "rnn_bidirectional", lambda: nn.RNN(3, 4, 2, bidirectional=True)),
        (6, "embedding", lambda: nn.Embedding(6, 3, padding_idx=2)),
        (7, "embedding_large", lambda: nn.Embedding(9, 4)),
        (8, "rnn_cell", lambda: nn.RNNCell(3, 4)),
        (9, "lstm_cell", lambda: nn.LSTMCell(3, 4)),
        (10, "gru_cell", lambda: nn.GRUCell(3, 4, bias=False)),
    ]:
        torch.manual_seed(seed)
        m = build()
        models.append({"seed": seed, "kind": kind, "config": {}, "keys": list(m.state_dict().keys()), "params": state(m)})

    functions = []

    def draw(name, seed, shape, fn, dtype=torch.float32):
        torch.manual_seed(seed)
        t = torch.empty(shape, dtype=dtype)
        fn(t)
        functions.append({"name": name, "seed": seed, "dtype": str(dtype).replace("torch.", ""), "value": tensor(t)})

    nn_init = nn.init
    draw("uniform", 0, (3, 5), lambda t: nn_init.uniform_(t, -0.3, 0.7))
    draw("uniform", 1, (3, 5), lambda t: nn_init.uniform_(t, -0.3, 0.7), torch.float64)
    draw("normal", 2, (7,), lambda t: nn_init.normal_(t, 0.5, 2.0))
    draw("normal", 3, (5, 7), lambda t: nn_init.normal_(t, 0.5, 2.0))
    draw("normal", 4, (5, 7), lambda t: nn_init.normal_(t, 0.5, 2.0), torch.float64)
    draw("xavierUniform", 5, (4, 6), lambda t: nn_init.xavier_uniform_(t, gain=1.5))
    draw("xavierNormal", 6, (4, 6), lambda t: nn_init.xavier_normal_(t))
    draw("kaimingUniform", 7, (4, 3, 2), lambda t: nn_init.kaiming_uniform_(t, a=0.1, mode="fan_out", nonlinearity="leaky_relu"))
    draw("kaimingUniformRelu", 8, (6, 5), lambda t: nn_init.kaiming_uniform_(t, nonlinearity="relu"))
    draw("kaimingNormal", 9, (6, 5), lambda t: nn_init.kaiming_normal_(t, mode="fan_in", nonlinearity="relu"))
    draw("xavierUniformTanh", 10, (3, 3), lambda t: nn_init.xavier_uniform_(t, gain=nn_init.calculate_gain("tanh")))
    return {"models": models, "functions": functions}


def save_safetensors(path, tensors, metadata=None):
    """torch_train.py's writer, verbatim."""
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for k, t in tensors.items():
        t = t.detach().contiguous()
        b = t.numpy().tobytes()
        header[k] = {"dtype": {torch.float32: "F32", torch.float64: "F64"}[t.dtype],
                     "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def checkpoint_case():
    torch.manual_seed(42)
    V, H, L = 5, 6, 2
    model = CharRNN(V, H, L, True, "tanh")
    save_safetensors(os.path.join(HERE, "pytorch_charrnn_f32.safetensors"), model.state_dict(), {"vocabulary": "abcde"})
    double = CharRNN(V, H, L, True, "tanh").double()
    double.load_state_dict(model.state_dict())
    save_safetensors(os.path.join(HERE, "pytorch_charrnn_f64.safetensors"), double.state_dict(), {"vocabulary": "abcde"})
    ids = torch.tensor([[0, 3, 1, 4, 2, 2]])
    x = F.one_hot(ids, V).double()
    with torch.no_grad():
        logits, h = double(x)
        logits32, _ = model(x.float())
    return {"config": {"vocabulary": V, "hidden": H, "layers": L, "bias": True, "nonlinearity": "tanh"},
            "metadata": {"vocabulary": "abcde"}, "params": state(model), "input": tensor(x),
            "logitsFloat64": tensor(logits), "hiddenFloat64": tensor(h), "logitsFloat32": tensor(logits32)}


def training_case():
    """The README's char-RNN: torch.manual_seed(0), text "Acknowledgement", one-hot inputs, mean
    cross-entropy, plain SGD (p -= lr * grad) for 20 epochs; the loss of each epoch's forward."""
    text = "Acknowledgement"
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text])
    result = {"text": text, "hidden": 15, "learningRate": 0.1, "epochs": 20}
    for dtype in [torch.float32, torch.float64]:
        torch.manual_seed(0)
        model = CharRNN(len(chars), 15, 1, True, "tanh").to(dtype)
        x = F.one_hot(ids[:-1], len(chars)).to(dtype).unsqueeze(0)
        losses = []
        for _ in range(result["epochs"]):
            model.zero_grad()
            logits, _ = model(x)
            loss = F.cross_entropy(logits.reshape(-1, len(chars)), ids[1:])
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p.add_(p.grad, alpha=-result["learningRate"])
            losses.append(loss.item())
        result["losses" + {torch.float32: "Float32", torch.float64: "Float64"}[dtype]] = losses
    return result


def descriptions():
    """print(model) for models the Swift tests build the same way, by name."""
    models = {
        "rnn_options": nn.RNN(3, 4, 2, nonlinearity="relu", bias=False, batch_first=True, dropout=0.3, bidirectional=True),
        "lstm_projection": nn.LSTM(3, 4, proj_size=2),
        "gru": nn.GRU(3, 4),
        "rnn_cell_relu": nn.RNNCell(3, 4, nonlinearity="relu"),
        "lstm_cell_nobias": nn.LSTMCell(3, 4, bias=False),
        "gru_cell": nn.GRUCell(3, 4),
        "sequential": nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Tanh(), nn.Dropout()), nn.Flatten(),
                                    nn.Sigmoid()),
        "embedding_padding": nn.Embedding(6, 3, padding_idx=2),
        "charrnn": CharRNN(12, 15, 1, True, "tanh"),
    }
    return [{"name": name, "description": repr(model)} for name, model in models.items()]


if __name__ == "__main__":
    torch.use_deterministic_algorithms(True)
    write_json("layers.json", {"torch": torch.__version__, "cases": layer_cases()})
    write_json("losses.json", {"torch": torch.__version__, "cases": loss_cases()})
    write_json("init.json", {"torch": torch.__version__, **init_cases()})
    write_json("checkpoint.json", {"torch": torch.__version__, **checkpoint_case()})
    write_json("training.json", {"torch": torch.__version__, **training_case()})
    write_json("descriptions.json", {"torch": torch.__version__, "cases": descriptions()})
