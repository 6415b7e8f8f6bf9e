"""Training throughput of the reference workload in PyTorch on one thread.

The workload of bench/workload.mjs, restated: MLP 784-256-64-32, mirrored
decoder, ReLU hidden, identity code, sigmoid output, MSE, Adam 1e-3
(0.9/0.999/1e-8), batch 128, float32, nn.Linear's default init (LatentLab's
init 'pytorch'). A fresh model trains 20 mini-batches of one shuffled epoch
untimed, then the rest of the epoch is timed in wall time; the test MSE
follows. Prints one JSON line (one run of `npm run bench`).

Usage: python3 bench/train_torch.py <train-images-idx3-ubyte> <t10k-images-idx3-ubyte>
"""

import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

WARM_UP_BATCHES = 20
BATCH_SIZE = 128


def read_images(path):
    """The images of an IDX file as an n x 784 float32 tensor in [0, 1]."""
    with open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = np.frombuffer(data, dtype=">u4", count=4)
    if magic != 0x0803:
        raise ValueError(f"{path}: not an IDX file of images")
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    return torch.from_numpy(pixels.astype(np.float32) / 255)


def blas_library():
    """The BLAS this process loaded: Debian's torch uses whichever libblas.so.3
    the alternatives system selects (the reference BLAS unless, say, OpenBLAS
    is installed), and that decides its GEMM speed."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "libblas" in path or "openblas" in path or "blis" in path or "mkl_rt" in path:
                return os.path.realpath(path)
    return "unknown"


def network():
    sizes = [784, 256, 64, 32, 64, 256, 784]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i == len(sizes) - 2:
            layers.append(nn.Sigmoid())
        elif i != 2:  # layer 2 makes the code: identity
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    train = read_images(sys.argv[1])
    test = read_images(sys.argv[2])
    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = nn.MSELoss()
    batches = torch.randperm(len(train)).split(BATCH_SIZE)

    loss_sum = 0.0
    samples = 0
    for i, indices in enumerate(batches):
        if i == WARM_UP_BATCHES:
            wall_start, cpu_start, samples = time.perf_counter(), time.thread_time(), 0
        x = train[indices]
        loss = loss_fn(model(x), x)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        # .item() waits for the loss, as the other runs read theirs every batch.
        loss_sum += loss.item() * len(indices)
        samples += len(indices)
    wall = time.perf_counter() - wall_start
    cpu = time.thread_time() - cpu_start

    with torch.no_grad():
        test_mse = loss_fn(model(test), test).item()
    print(
        json.dumps(
            {
                "threads": torch.get_num_threads(),
                "torch": torch.__version__,
                "blas": blas_library(),
                "samples": samples,
                "wallSeconds": wall,
                "cpuSeconds": cpu,
                "samplesPerSecond": samples / wall,
                "trainLoss": loss_sum / len(train),
                "testMSE": test_mse,
            }
        )
    )


if __name__ == "__main__":
    main()
