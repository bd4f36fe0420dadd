"""Generates the PyTorch reference values for the transformer tests (TransformerGoldenTests).

Run from the repository root with a PyTorch install:

    .venv-torch/bin/python Tests/NNTests/Golden/make_transformer_golden.py

Writes transformer.json next to this script, in float64:
- layer_norm: F.layer_norm for several normalized shapes, with and without weight and bias;
- gelu: F.gelu, exact and tanh;
- attention: F.scaled_dot_product_attention with and without masks (boolean, additive, a fully
  masked row), is_causal (square and L < S), an explicit scale;
each with its inputs, output, the upstream gradient u and the gradients of sum(output * u).

Tensors are {"shape": [...], "values": [...]} in row-major order.
"""
import json
import os

import torch
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


def main():
    payload = {"torch": torch.__version__, "layer_norm": layer_norm_cases(), "gelu": gelu_cases(),
               "attention": attention_cases()}
    with open(os.path.join(HERE, "transformer.json"), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
