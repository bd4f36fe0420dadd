#!/usr/bin/env python3
"""Writes reference.safetensors next to this script, for SafetensorsTests.

Uses only the standard library (struct + json). `save_safetensors` below replicates the writer in
bench/torch_train.py line for line, with `t.numpy().tobytes()` replaced by little-endian bytes made
with struct: keys in insertion order (not sorted), `__metadata__` first with str() values,
json.dumps defaults (ASCII-only output with \\uXXXX escapes, ", " and ": " separators), header
padded with spaces to a multiple of 8 bytes.

Run: python3 Tests/NNTests/Golden/make_safetensors_golden.py
"""
import json
import os
import struct


class Tensor:
    """Stand-in for a torch tensor: dtype name, shape and raw little-endian bytes."""

    def __init__(self, dtype, shape, raw):
        self.dtype, self.shape, self.raw = dtype, shape, raw


def f32(shape, values):
    return Tensor("F32", shape, b"".join(struct.pack("<f", v) for v in values))


def f64(shape, values):
    return Tensor("F64", shape, b"".join(struct.pack("<d", v) for v in values))


def bits32(shape, patterns):
    return Tensor("F32", shape, b"".join(struct.pack("<I", p) for p in patterns))


def bits64(shape, patterns):
    return Tensor("F64", shape, b"".join(struct.pack("<Q", p) for p in patterns))


def save_safetensors(path, tensors, metadata=None):
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for k, t in tensors.items():
        b = t.raw
        header[k] = {"dtype": t.dtype,
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


tensors = {
    # A state_dict-like order, deliberately not sorted.
    "rnn.weight_ih_l0": f32([3, 2], [0.5, -1.25, 3.0, 1024.0, -0.0, 2.0 ** -149]),
    "rnn.bias_hh_l0": f32([2], [float("inf"), float("-inf")]),
    "fc.weight": bits32([1, 3], [0x7FC00000, 0x7FC00ABC, 0xFFC00001]),  # NaNs with payloads
    "scalar": f32([], [42.0]),
    "empty": f32([0], []),
    "double.weight": f64([2, 2], [0.1, 1e300, -5e-324, -0.0]),
    "double.nan": bits64([1], [0x7FF8000000000123]),
    'h\u00e9llo \U0001F642 "quoted" \\ back\nslash': f32([1], [-7.5]),
}
metadata = {"format": "pt", "epochs": 3, "note": "caf\u00e9 \u2713"}

here = os.path.dirname(os.path.abspath(__file__))
save_safetensors(os.path.join(here, "reference.safetensors"), tensors, metadata)
