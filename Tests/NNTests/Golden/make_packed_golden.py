"""Generates the PyTorch reference values for packed sequences (torch.nn.utils.rnn) and the
recurrent networks run on them.

Run from the repository root with a PyTorch install:

    .venv-torch/bin/python Tests/NNTests/Golden/make_packed_golden.py

Writes packed.json next to this script, in float64:
- "utils": pack_padded_sequence / pad_packed_sequence on explicit inputs: the packed data, batch
  sizes, sorted and unsorted indices, the padded results and the gradient of sum(padded * upstream)
  with respect to the padded input;
- "sequences": pad_sequence, pack_sequence, unpack_sequence and unpad_sequence on lists of
  sequences, and the gradients with respect to each sequence;
- "networks": RNN (tanh, relu), LSTM and GRU run on pack_padded_sequence(input, lengths): explicit
  weights, inputs, the output padded back with pad_packed_sequence, the final states, and the
  gradients of L = sum(output * u_out) + sum(h_n * u_h) [+ sum(c_n * u_c)] with respect to the
  input, h0, c0 and every parameter.

Tensors are {"shape": [...], "values": [...]} with values in row-major order.
"""
import json
import os

import torch
import torch.nn as nn
from torch.nn.utils.rnn import (
    pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence, unpack_sequence, unpad_sequence,
)

HERE = os.path.dirname(os.path.abspath(__file__))


def shaped(t):
    """{"shape": [...], "values": [...]} of a tensor, values in row-major order."""
    flat = t.detach().contiguous().reshape(-1)
    values = [float(v) for v in flat.tolist()] if flat.is_floating_point() else [int(v) for v in flat.tolist()]
    return {"shape": list(t.shape), "values": values}


def packed_fields(p):
    return {
        "data": shaped(p.data),
        "batchSizes": shaped(p.batch_sizes),
        "sortedIndices": shaped(p.sorted_indices) if p.sorted_indices is not None else None,
        "unsortedIndices": shaped(p.unsorted_indices) if p.unsorted_indices is not None else None,
    }


def utils_cases(g):
    def rand(*shape):
        return torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1

    cases = []
    # (name, T, B, feature shape, lengths, batch_first, enforce_sorted, padding_value, total_length)
    for name, T, B, features, lengths, bf, sort, pad, total in [
        ("sorted_seq_first", 4, 3, [2], [4, 2, 1], False, True, 0.0, None),
        ("sorted_ties_batch_first", 3, 3, [2], [3, 3, 1], True, True, -1.5, None),
        ("unsorted_ties_batch_first", 4, 4, [2], [2, 4, 2, 3], True, False, 0.0, 6),
        ("unsorted_shorter_than_input", 5, 3, [], [1, 3, 2], False, False, 7.0, None),
        ("unsorted_matrix_features", 3, 2, [2, 2], [1, 3], True, False, 0.5, 4),
    ]:
        shape = [B, T] + features if bf else [T, B] + features
        x = rand(*shape).requires_grad_(True)
        p = pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=sort)
        padded, out_lengths = pad_packed_sequence(p, batch_first=bf, padding_value=pad, total_length=total)
        upstream = rand(*padded.shape)
        (padded * upstream).sum().backward()
        cases.append({
            "name": name, "batchFirst": bf, "enforceSorted": sort, "paddingValue": pad, "totalLength": total,
            "lengths": lengths, "input": shaped(x), **packed_fields(p), "padded": shaped(padded),
            "paddedLengths": shaped(out_lengths), "upstream": shaped(upstream), "inputGrad": shaped(x.grad),
        })
    return cases


def sequence_cases(g):
    def rand(*shape):
        return torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1

    cases = []
    for name, lengths, bf, pad, side, sort in [
        ("right_seq_first", [2, 4, 1], False, 0.0, "right", False),
        ("left_batch_first", [3, 1, 3], True, -2.0, "left", False),
        ("sorted_batch_first", [3, 2, 2], True, 0.0, "right", True),
    ]:
        seqs = [rand(n, 2).requires_grad_(True) for n in lengths]
        padded = pad_sequence(seqs, batch_first=bf, padding_value=pad, padding_side=side)
        packed = pack_sequence(seqs, enforce_sorted=sort)
        unpacked = unpack_sequence(packed)
        # unpad_sequence transposes a sequence-first batch in place: give it a copy.
        unpadded = unpad_sequence(padded.clone(), torch.tensor(lengths), batch_first=bf) if side == "right" else []
        upstream = rand(*padded.shape)
        upstream_data = rand(*packed.data.shape)
        upstream_unpacked = [rand(*t.shape) for t in unpacked]
        upstream_unpadded = [rand(*t.shape) for t in unpadded]
        loss = (padded * upstream).sum() + (packed.data * upstream_data).sum()
        loss = loss + sum((t * u).sum() for t, u in zip(unpacked, upstream_unpacked))
        loss = loss + sum((t * u).sum() for t, u in zip(unpadded, upstream_unpadded))
        loss.backward()
        cases.append({
            "name": name, "lengths": lengths, "batchFirst": bf, "paddingValue": pad, "paddingSide": side,
            "enforceSorted": sort, "sequences": [shaped(s) for s in seqs], "padded": shaped(padded),
            **packed_fields(packed), "unpacked": [shaped(t) for t in unpacked], "unpadded": [shaped(t) for t in unpadded],
            "upstream": shaped(upstream), "upstreamData": shaped(upstream_data),
            "upstreamUnpacked": [shaped(t) for t in upstream_unpacked],
            "upstreamUnpadded": [shaped(t) for t in upstream_unpadded],
            "grads": [shaped(s.grad) for s in seqs],
        })
    return cases


def network_cases(g):
    def rand(*shape):
        return torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1

    I, H = 2, 3
    cases = []
    # (kind, nonlinearity, layers, bias, bidirectional, batch_first, state, lengths, enforce_sorted, proj)
    configs = [
        ("rnn", "tanh", 1, True, False, False, False, [4, 3, 1], True, 0),
        ("rnn", "relu", 1, True, False, True, True, [2, 4, 3], False, 0),
        ("rnn", "tanh", 2, False, True, True, True, [3, 1, 4], False, 0),
        ("rnn", "relu", 2, True, True, False, False, [4, 4, 2], True, 0),
        ("lstm", None, 1, True, False, True, False, [4, 2, 2], True, 0),
        ("lstm", None, 1, False, True, False, True, [1, 4, 3], False, 0),
        ("lstm", None, 2, True, True, True, True, [2, 3, 4], False, 0),
        ("lstm", None, 2, True, False, False, True, [4, 3, 3], True, 0),
        ("lstm", None, 1, True, True, True, True, [3, 4, 1], False, 2),
        ("gru", None, 1, True, False, False, True, [4, 2, 1], True, 0),
        ("gru", None, 1, True, True, True, False, [2, 4, 2], False, 0),
        ("gru", None, 2, False, True, False, True, [1, 2, 4], False, 0),
        ("gru", None, 2, True, False, True, False, [3, 3, 1], True, 0),
    ]
    for kind, nl, layers, bias, bidir, bf, with_state, lengths, sort, proj in configs:
        B, T = len(lengths), 4
        if kind == "rnn":
            m = nn.RNN(I, H, layers, nonlinearity=nl, bias=bias, batch_first=bf, bidirectional=bidir)
        elif kind == "lstm":
            m = nn.LSTM(I, H, layers, bias=bias, batch_first=bf, bidirectional=bidir, proj_size=proj)
        else:
            m = nn.GRU(I, H, layers, bias=bias, batch_first=bf, bidirectional=bidir)
        m = m.double()
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(torch.rand(p.shape, generator=g, dtype=torch.float64) * 1.6 - 0.8)
        d = 2 if bidir else 1
        x = rand(*([B, T, I] if bf else [T, B, I])).requires_grad_(True)
        inputs = {"input": x}
        P = proj if proj else H
        if with_state:
            inputs["h0"] = rand(layers * d, B, P).requires_grad_(True)
            if kind == "lstm":
                inputs["c0"] = rand(layers * d, B, H).requires_grad_(True)
        packed = pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=sort)
        if kind == "lstm":
            out, (h_n, c_n) = m(packed, (inputs["h0"], inputs["c0"]) if with_state else None)
            finals = {"h_n": h_n, "c_n": c_n}
        else:
            out, h_n = m(packed, inputs.get("h0"))
            finals = {"h_n": h_n}
        padded, out_lengths = pad_packed_sequence(out, batch_first=bf)
        outputs = {"output": padded, **finals}
        upstream = {k: rand(*v.shape) for k, v in outputs.items()}
        sum((outputs[k] * upstream[k]).sum() for k in outputs).backward()
        grads = {name: shaped(p.grad) for name, p in m.named_parameters()}
        grads.update({k: shaped(v.grad) for k, v in inputs.items()})
        name = f"{kind}{'_' + nl if nl else ''}_l{layers}_{'bias' if bias else 'nobias'}_{'bi' if bidir else 'uni'}" \
               f"_{'bf' if bf else 'sf'}_{'state' if with_state else 'nostate'}_{'sorted' if sort else 'unsorted'}" \
               + (f"_proj{proj}" if proj else "")
        cases.append({
            "name": name, "kind": kind, "nonlinearity": nl or "tanh", "input": I, "hidden": H, "layers": layers,
            "bias": bias, "bidirectional": bidir, "batchFirst": bf, "projection": proj, "lengths": lengths,
            "enforceSorted": sort, "keys": list(m.state_dict().keys()),
            "params": {k: shaped(v) for k, v in m.state_dict().items()},
            "inputs": {k: shaped(v) for k, v in inputs.items()},
            "packedOutput": packed_fields(out), "outputLengths": shaped(out_lengths),
            "outputs": {k: shaped(v) for k, v in outputs.items()},
            "upstream": {k: shaped(v) for k, v in upstream.items()}, "grads": grads,
        })
    return cases


def main():
    g = torch.Generator().manual_seed(2026)
    payload = {
        "torch": torch.__version__, "utils": utils_cases(g), "sequences": sequence_cases(g),
        "networks": network_cases(g),
    }
    with open(os.path.join(HERE, "packed.json"), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
