"""PyTorch side of the LatentLab <-> PyTorch round trip.

Run by tests/js/torch-roundtrip.test.ts with Debian's python3 and python3-torch:
    python3 tests/python/test_torch_roundtrip.py DIRECTORY CASE...
DIRECTORY holds inputs.f32 (n x inputSize float32 rows) and, for every CASE,
CASE.safetensors and CASE.recon.f32, written by LatentLab (wasm). For each
case this script
  1. loads the file into a torch.nn.Module and checks that saving it unchanged
     gives the very same bytes;
  2. reconstructs the inputs and compares them with LatentLab's (max |diff|);
  3. trains the module a few Adam steps in PyTorch, then writes
     CASE.torch.safetensors and its reconstructions CASE.torch-recon.f32 for
     LatentLab to load and compare.
It also checks, without LatentLab, that a module built in Python survives a
save/load and that malformed files raise ValueError. It prints one JSON line
per case and exits non-zero on any failure.
"""

import array
import json
import os
import sys

import torch

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import latentlab_torch as lt  # noqa: E402

TOLERANCE = 1e-5


def read_floats(path, width):
    values = array.array("f")
    with open(path, "rb") as file:
        values.frombytes(file.read())
    if sys.byteorder != "little":
        values.byteswap()
    return torch.frombuffer(values, dtype=torch.float32).clone().reshape(-1, width)


def write_floats(path, tensor):
    values = array.array("f", tensor.detach().reshape(-1).tolist())
    if sys.byteorder != "little":
        values.byteswap()
    with open(path, "wb") as file:
        file.write(values.tobytes())


def retrain(model, inputs, steps=20):
    """A few Adam steps on the reconstruction loss, as LatentLab defines it."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    bce = model.config["loss"] == "bce"
    for _ in range(steps):
        optimizer.zero_grad()
        logits = model.decode_logits(model.encode(inputs))
        if bce:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, inputs)
        else:
            loss = torch.nn.functional.mse_loss(logits, inputs)
        loss.backward()
        optimizer.step()
    return loss.item()


def run_case(directory, case):
    with open(os.path.join(directory, f"{case}.safetensors"), "rb") as file:
        original = file.read()
    model = lt.from_bytes(original)
    assert lt.to_bytes(model) == original, f"{case}: saving the loaded module changed the bytes"

    width = model.config["inputSize"]
    inputs = read_floats(os.path.join(directory, "inputs.f32"), width)
    expected = read_floats(os.path.join(directory, f"{case}.recon.f32"), width)
    with torch.no_grad():
        recon = model(inputs)
    load_diff = (recon - expected).abs().max().item()
    assert load_diff <= TOLERANCE, f"{case}: reconstructions differ by {load_diff} > {TOLERANCE}"

    before = [p.detach().clone() for p in model.parameters()]
    loss = retrain(model, inputs)
    change = max((p.detach() - b).abs().max().item() for p, b in zip(model.parameters(), before))
    assert change > 1e-4, f"{case}: retraining did not change the weights"
    lt.save(model, os.path.join(directory, f"{case}.torch.safetensors"))
    with torch.no_grad():
        write_floats(os.path.join(directory, f"{case}.torch-recon.f32"), model(inputs))
    return {"case": case, "loadMaxAbsDiff": load_diff, "retrainLoss": loss, "weightChange": change}


def check_python_only():
    """A module built in Python round-trips; malformed files raise ValueError."""
    torch.manual_seed(0)
    model = lt.LatentLabAutoencoder({"inputSize": 10, "encoder": [6], "latentSize": 2,
                                     "variational": {"beta": 1.0}})
    data = lt.to_bytes(model)
    loaded = lt.from_bytes(data)
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values()):
        assert torch.equal(a, b), "a module built in Python did not survive save/load"
    assert loaded.layers[1].weight.shape == (4, 6), "a variational code layer emits 2 x latent"
    header_length = int.from_bytes(data[:8], "little")
    assert header_length % 8 == 0, "the header must be padded to a multiple of 8 bytes"
    malformed = {
        "truncated": data[:5],
        "wrong format": data.replace(b'"format":"latentlab"', b'"format":"latentlaX"'),
        "short data": data[:-4],
    }
    for what, bad in malformed.items():
        try:
            lt.from_bytes(bad)
        except ValueError as error:
            assert str(error).startswith("model file: "), f"{what}: unclear message {error}"
        else:
            raise AssertionError(f"{what}: the malformed file was accepted")


def main():
    directory, cases = sys.argv[1], sys.argv[2:]
    assert cases, "usage: test_torch_roundtrip.py DIRECTORY CASE..."
    torch.manual_seed(0)
    check_python_only()
    for case in cases:
        print(json.dumps(run_case(directory, case)), flush=True)


if __name__ == "__main__":
    main()
