"""Training throughput of a workload of bench/workload.mjs in PyTorch on one thread.

The network is python/latentlab_torch.py's LatentLabAutoencoder of the
workload's configuration as LatentLab resolves it (passed as JSON), so the
layers are LatentLab's own: the MLP 784-256-64-32 or the convolutional
reference, with their mirrored decoders, nn.Linear's and nn.Conv2d's default
init (LatentLab's init 'pytorch'). Training: MSE, Adam 1e-3 (0.9/0.999/1e-8),
batch 128, float32. A fresh model trains 20 mini-batches of one shuffled
epoch untimed, then the rest of the epoch is timed in wall time; the test MSE
follows. Prints one JSON line (one run of `npm run bench`).

Usage: python3 bench/train_torch.py <resolved-config-json> <train-images-idx3-ubyte> <t10k-images-idx3-ubyte>
"""

import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from latentlab_torch import LatentLabAutoencoder  # noqa: E402

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
            name = os.path.basename(line.split()[-1])
            if name.startswith(("libblas", "libopenblas", "libblis", "libmkl_rt")):
                return os.path.realpath(line.split()[-1])
    return "unknown"


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    config = json.loads(sys.argv[1])
    if config["loss"] != "mse" or config["outputActivation"] != "sigmoid":
        raise ValueError("the bench's workloads train sigmoid outputs with MSE")
    train = read_images(sys.argv[2])
    test = read_images(sys.argv[3])
    model = LatentLabAutoencoder(config)
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
