"""Generates the PyTorch reference values for the transformer tests (TransformerGoldenTests).

Run from the repository root with a PyTorch install:

    .venv-torch/bin/python Tests/NNTests/Golden/make_transformer_golden.py

Writes transformer.json next to this script, in float64:
- layer_norm: F.layer_norm for several normalized shapes, with and without weight and bias;
- gelu: F.gelu, exact and tanh;
- attention: F.scaled_dot_product_attention with and without masks (boolean, additive, a fully
  masked row), is_causal (square and L < S), an explicit scale;
each with its inputs, output, the upstream gradient u and the gradients of sum(output * u);
- multihead: nn.MultiheadAttention (layouts, bias, masks, need_weights, averaging, unbatched) and
- encoder_layer: nn.TransformerEncoderLayer (norm_first, activation, masks), both with explicit
  parameters U(-0.8, 0.8), their keys, outputs and every gradient;
- init: the default initialisation of both after torch.manual_seed (5 and 6).

Tensors are {"shape": [...], "values": [...]} in row-major order.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
g = torch.Generator().manual_seed(2026)



def enc(t):
    flat = t.detach().contiguous().reshape(-1)
    return {"shape": list(t.shape), "values": [float(v) for v in flat.tolist()]}


def rand(*shape, low=-2.0, high=2.0):
    return (torch.rand(shape, generator=g, dtype=torch.float64) * (high - low) + low).requires_grad_(True)


def finish(name, inputs, output, extra=None):
    upstream = torch.rand(output.shape, generator=g, dtype=torch.float64) * 2 - 1
    (output * upstream).sum().backward()
    case = {
        "name": name,
        "inputs": {k: enc(v) for k, v in inputs.items() if v is not None},
        "output": enc(output),
        "upstream": enc(upstream),
        "grads": {k: enc(v.grad) for k, v in inputs.items() if v is not None and v.requires_grad},
    }
    case.update(extra or {})
    return case


def layer_norm_cases():
    cases = []
    for shape, norm, affine, bias, eps in [
        ((4, 6), [6], True, True, 1e-5),
        ((2, 3, 5), [5], True, False, 1e-5),
        ((2, 3, 4), [3, 4], True, True, 1e-3),
        ((3, 4), [4], False, False, 1e-5),
    ]:
        x = rand(*shape)
        w = rand(*norm, low=0.5, high=1.5) if affine else None
        b = rand(*norm) if affine and bias else None
        out = F.layer_norm(x, norm, w, b, eps)
        cases.append(finish(f"layer_norm {shape} {norm}", {"input": x, "weight": w, "bias": b}, out,
                            {"normalized_shape": norm, "eps": eps}))
    return cases


def gelu_cases():
    cases = []
    for approximate in ["none", "tanh"]:
        x = rand(3, 7, low=-5, high=5)
        cases.append(finish(f"gelu {approximate}", {"input": x}, F.gelu(x, approximate=approximate),
                            {"approximate": approximate}))
    return cases


def attention_cases():
    cases = []

    def add(name, q, k, v, mask=None, mask_kind=None, is_causal=False, scale=None):
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal, scale=scale)
        extra = {"is_causal": is_causal, "scale": scale, "mask_kind": mask_kind}
        if mask is not None:
            extra["mask"] = enc(mask.to(torch.float64)) if mask.dtype == torch.bool else enc(mask)
        cases.append(finish(name, {"query": q, "key": k, "value": v}, out, extra))

    add("plain", rand(2, 3, 4), rand(2, 5, 4), rand(2, 5, 3))
    add("causal square, heads", rand(2, 2, 5, 4), rand(2, 2, 5, 4), rand(2, 2, 5, 4), is_causal=True)
    add("causal L < S", rand(1, 3, 4), rand(1, 6, 4), rand(1, 6, 2), is_causal=True)
    add("scale", rand(2, 4, 3), rand(2, 4, 3), rand(2, 4, 3), scale=0.7)
    m = torch.rand(3, 5, generator=g) > 0.3
    m[:, 0] = True
    add("boolean mask broadcast", rand(2, 2, 3, 4), rand(2, 2, 5, 4), rand(2, 2, 5, 4), mask=m, mask_kind="allowed")
    m = torch.ones(3, 4, dtype=torch.bool)
    m[1] = False
    add("fully masked row", rand(2, 3, 4), rand(2, 4, 4), rand(2, 4, 4), mask=m, mask_kind="allowed")
    add("additive mask", rand(2, 3, 4), rand(2, 4, 4), rand(2, 4, 2),
        mask=torch.rand(2, 1, 4, generator=g, dtype=torch.float64) * 4 - 2, mask_kind="additive")
    return cases


def module_case(name, module, inputs, forward, extra):
    """Explicit parameters U(-0.8, 0.8); outputs of forward(module, inputs) -> dict; loss = sum(out * u)."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.rand(p.shape, generator=g, dtype=torch.float64) * 1.6 - 0.8)
    outputs = forward(module, inputs)
    upstream = {k: torch.rand(v.shape, generator=g, dtype=torch.float64) * 2 - 1 for k, v in outputs.items()}
    sum((outputs[k] * upstream[k]).sum() for k in outputs).backward()
    grads = {k: enc(p.grad) for k, p in module.named_parameters()}
    for k, t in inputs.items():
        if t is not None and t.is_floating_point() and t.requires_grad:
            grads["input." + k] = enc(t.grad)
    case = {"name": name, "keys": list(module.state_dict().keys()),
            "params": {k: enc(v) for k, v in module.state_dict().items()},
            "inputs": {k: enc(v.to(torch.float64)) for k, v in inputs.items() if v is not None},
            "outputs": {k: enc(v) for k, v in outputs.items()},
            "upstream": {k: enc(v) for k, v in upstream.items()}, "grads": grads}
    case.update(extra)
    return case


def multihead_cases():
    cases = []
    E, H, N, L, S = 6, 2, 2, 3, 4

    def add(name, batch_first=False, bias=True, need_weights=True, average=True, kpm=None, mask=None, unbatched=False,
            self_attention=False):
        m = nn.MultiheadAttention(E, H, bias=bias, batch_first=batch_first, dtype=torch.float64)
        if unbatched:
            q, k, v = rand(L, E), rand(S, E), rand(S, E)
        elif batch_first:
            q, k, v = rand(N, L, E), rand(N, S, E), rand(N, S, E)
        else:
            q, k, v = rand(L, N, E), rand(S, N, E), rand(S, N, E)
        if self_attention:
            k = v = q

        def forward(mod, i):
            out, w = mod(i["query"], i["key"], i["value"], key_padding_mask=i.get("key_padding_mask"),
                         need_weights=need_weights, attn_mask=i.get("attn_mask"), average_attn_weights=average)
            return {"output": out, "weights": w} if need_weights else {"output": out}

        inputs = {"query": q, "key": k, "value": v, "key_padding_mask": kpm, "attn_mask": mask}
        extra = {"batch_first": batch_first, "bias": bias, "need_weights": need_weights, "average": average,
                 "heads": H, "self_attention": self_attention,
                 "key_padding_kind": None if kpm is None else ("blocked" if kpm.dtype == torch.bool else "additive"),
                 "attn_mask_kind": None if mask is None else ("blocked" if mask.dtype == torch.bool else "additive")}
        cases.append(module_case(name, m, inputs, forward, extra))

    add("seq-first, weights averaged")
    add("batch-first, no bias, per-head weights", batch_first=True, bias=False, average=False)
    kpm = torch.zeros(N, S, dtype=torch.bool)
    kpm[0, 3] = True
    kpm[1, 1] = True
    mask = torch.zeros(L, S, dtype=torch.bool)
    mask[0, 2] = True
    add("boolean key padding and attention masks, no weights", batch_first=True, need_weights=False, kpm=kpm, mask=mask)
    add("additive masks, weights", kpm=torch.rand(N, S, generator=g, dtype=torch.float64) - 0.5,
        mask=torch.rand(N * H, L, S, generator=g, dtype=torch.float64) - 0.5)
    add("unbatched", unbatched=True)
    add("self-attention (one input for query, key and value)", batch_first=True, self_attention=True)
    return cases


def encoder_layer_cases():
    cases = []
    E, H, F_, N, L = 6, 2, 10, 2, 4
    for name, norm_first, activation, batch_first, masked in [
        ("post-norm relu", False, "relu", False, False),
        ("pre-norm gelu, batch-first, masks", True, "gelu", True, True),
    ]:
        layer = nn.TransformerEncoderLayer(E, H, F_, dropout=0.0, activation=activation, batch_first=batch_first,
                                           norm_first=norm_first, dtype=torch.float64)
        x = rand(N, L, E) if batch_first else rand(L, N, E)
        mask = kpm = None
        if masked:
            mask = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
            kpm = torch.zeros(N, L, dtype=torch.bool)
            kpm[1, 3] = True

        def forward(mod, i):
            return {"output": mod(i["src"], src_mask=i.get("src_mask"), src_key_padding_mask=i.get("src_key_padding_mask"))}

        cases.append(module_case(name, layer, {"src": x, "src_mask": mask, "src_key_padding_mask": kpm}, forward,
                                 {"norm_first": norm_first, "activation": activation, "batch_first": batch_first,
                                  "heads": H, "feedforward": F_}))
    return cases


def init_cases():
    """Default initialisation after torch.manual_seed, drawn in float32."""
    torch.manual_seed(5)
    mha = nn.MultiheadAttention(6, 2)
    torch.manual_seed(6)
    layer = nn.TransformerEncoderLayer(6, 2, 10)
    return {"multihead": {k: enc(v.to(torch.float64)) for k, v in mha.state_dict().items()},
            "encoder_layer": {k: enc(v.to(torch.float64)) for k, v in layer.state_dict().items()}}


def main():
    payload = {"torch": torch.__version__, "layer_norm": layer_norm_cases(), "gelu": gelu_cases(),
               "attention": attention_cases(), "multihead": multihead_cases(), "encoder_layer": encoder_layer_cases(),
               "init": init_cases()}
    with open(os.path.join(HERE, "transformer.json"), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
