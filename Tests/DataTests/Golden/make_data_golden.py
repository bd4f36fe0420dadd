"""Writes data_golden.json: the batches PyTorch's DataLoader, random_split and a nanoGPT-style
get_batch produce for fixed seeds, for the Data library's tests (DataLoaderTests).

Run from the repository root with the PyTorch environment:

    .venv-torch/bin/python Tests/DataTests/Golden/make_data_golden.py

Each loader case records, for a dataset whose sample i is i (as a float tensor), the sample
indices of every batch of several consecutive epochs, and the next 32-bit draw of the
generator afterwards (so the test also checks how much of the stream the loader consumed).
"""
import json
import pathlib

import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

LOADERS = [  # (count, batch size, shuffle, drop last, seed, epochs)
    (10, 3, True, False, 0, 3),
    (10, 5, True, False, 1, 2),
    (10, 4, True, True, 2, 2),
    (7, 7, True, True, 3, 2),
    (9, 2, False, False, 4, 2),
    (9, 2, False, True, 5, 1),
]

SPLITS = [(10, [7, 3], 0), (10, [0.8, 0.2], 1), (11, [0.5, 0.3, 0.2], 2)]  # (count, lengths, seed)

WINDOWS = [(40, 5, 4, 0), (30, 8, 3, 7)]  # (tokens, block size, batch, seed)


def main():
    golden = {"torch_version": torch.__version__, "loaders": [], "splits": [], "windows": []}
    for count, batch, shuffle, drop, seed, epochs in LOADERS:
        g = torch.Generator().manual_seed(seed)
        data = TensorDataset(torch.arange(count, dtype=torch.float64), torch.arange(count))
        loader = DataLoader(data, batch_size=batch, shuffle=shuffle, drop_last=drop, generator=g)
        batches = [[[int(v) for v in y] for _, y in loader] for _ in range(epochs)]
        after = torch.randint(0, 2**20, (1,), generator=g).item()
        golden["loaders"].append({"count": count, "batchSize": batch, "shuffle": shuffle, "dropLast": drop, "seed": seed,
                                  "epochs": batches, "nextDraw": after})
    for count, lengths, seed in SPLITS:
        parts = random_split(range(count), lengths, generator=torch.Generator().manual_seed(seed))
        golden["splits"].append({"count": count, "lengths": [float(v) for v in lengths], "seed": seed,
                                 "parts": [list(p) for p in parts]})
    for count, block, batch, seed in WINDOWS:
        data = torch.arange(count) * 3 + 1
        g = torch.Generator().manual_seed(seed)
        ix = torch.randint(len(data) - block, (batch,), generator=g)
        x = torch.stack([data[i:i + block] for i in ix])
        y = torch.stack([data[i + 1:i + 1 + block] for i in ix])
        golden["windows"].append({"count": count, "block": block, "batch": batch, "seed": seed,
                                  "input": x.tolist(), "target": y.tolist()})
    path = pathlib.Path(__file__).with_name("data_golden.json")
    path.write_text(json.dumps(golden, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
