"""PyTorch side of the LatentLab <-> PyTorch round trip.

Run by tests/js/torch-roundtrip.test.ts with Debian's python3 and python3-torch:
    python3 tests/python/test_torch_roundtrip.py DIRECTORY CASE...
DIRECTORY holds inputs.f32 (n x inputSize float32 rows) and, for every CASE,
CASE.safetensors and CASE.recon.f32, written by LatentLab (wasm). For each
case this script
  1. loads the file into a torch.nn.Module and checks that saving it unchanged
     (in the file's dtype, F32 or F16) gives the very same bytes; an F16 file's
     tensors are also checked against numpy's float16 reading of the bytes,
     and against the `safetensors` package's where it is installed;
  2. reconstructs the inputs and compares them with LatentLab's (max |diff|);
  3. trains the module a few Adam steps in PyTorch, then writes
     CASE.torch.safetensors and its reconstructions CASE.torch-recon.f32 for
     LatentLab to load and compare. An F16 case converts the module with
     .half() and saves that (F16 tensors), and writes the same half-rounded
     weights as F32 too, in CASE.torch-f32.safetensors, for LatentLab to
     check that the values are equal.
It also checks, without LatentLab, that a module built in Python survives a
save/load in F32 and F16 and that malformed files raise ValueError. It prints
one JSON line per case and exits non-zero on any failure.
"""

import array
import json
import os
import sys

import torch

try:
    import numpy
except ImportError:  # an independent float16 reader when there is one
    numpy = None
try:
    import safetensors.torch as safetensors_torch
except ImportError:  # not in Debian: the module's own reader is checked against numpy's
    safetensors_torch = None

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


def check_independent_readers(case, data, tensors):
    """The module's reading of `data` against numpy's float16/float32 decoding of
    the same bytes, and against the safetensors package where it is installed."""
    readers = []
    if numpy is not None:
        header_length = int.from_bytes(data[:8], "little")
        header = json.loads(data[8 : 8 + header_length])
        body = data[8 + header_length :]
        for name, tensor in tensors.items():
            begin, end = header[name]["data_offsets"]
            kind = {"F16": "<f2", "F32": "<f4"}[header[name]["dtype"]]
            expected = numpy.frombuffer(body[begin:end], dtype=kind).reshape(header[name]["shape"])
            assert numpy.array_equal(tensor.numpy(), expected), f"{case}: {name} differs from numpy's"
        readers.append("numpy")
    if safetensors_torch is not None:
        for name, tensor in safetensors_torch.load(data).items():
            assert torch.equal(tensor, tensors[name]), f"{case}: {name} differs from safetensors'"
        readers.append("safetensors")
    return readers


def run_case(directory, case):
    with open(os.path.join(directory, f"{case}.safetensors"), "rb") as file:
        original = file.read()
    _, tensors = lt.read_safetensors(original)
    half = all(tensor.dtype == torch.float16 for tensor in tensors.values())
    readers = check_independent_readers(case, original, tensors) if half else []
    model = lt.from_bytes(original)
    assert all(p.dtype == torch.float32 for p in model.parameters()), f"{case}: a float16 module"
    assert lt.to_bytes(model, "F16" if half else None) == original, \
        f"{case}: saving the loaded module changed the bytes"

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
    if half:
        # A PyTorch model in float16, saved as it is: F16 tensors.
        model.half()
        lt.save(model, os.path.join(directory, f"{case}.torch.safetensors"))
        _, saved = lt.read_safetensors(lt.to_bytes(model))
        assert all(t.dtype == torch.float16 for t in saved.values()), f"{case}: .half() saved as F32"
        model.float()  # the halves, exactly, to reconstruct with and to write as F32
        lt.save(model, os.path.join(directory, f"{case}.torch-f32.safetensors"))
    else:
        lt.save(model, os.path.join(directory, f"{case}.torch.safetensors"))
    with torch.no_grad():
        write_floats(os.path.join(directory, f"{case}.torch-recon.f32"), model(inputs))
    return {"case": case, "dtype": "F16" if half else "F32", "loadMaxAbsDiff": load_diff,
            "retrainLoss": loss, "weightChange": change, "independentReaders": readers}


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
    check_python_only_f16(model)
    malformed = {
        "truncated": data[:5],
        "wrong format": data.replace(b'"format":"latentlab"', b'"format":"latentlaX"'),
        "short data": data[:-4],
        "F16 spans of F32 data": data.replace(b'"F32"', b'"F16"'),
        "BF16": data.replace(b'"F32"', b'"BF16"', 1),
    }
    for what, bad in malformed.items():
        try:
            lt.from_bytes(bad)
        except ValueError as error:
            assert str(error).startswith("model file: "), f"{what}: unclear message {error}"
        else:
            raise AssertionError(f"{what}: the malformed file was accepted")


def check_python_only_f16(model):
    """F16 in Python alone: dtype="F16" and a .half() module give the same
    file, which loads to the halves of the weights; values past the float16
    range are refused, naming tensor, index and value."""
    data = lt.to_bytes(model, "F16")
    assert len(data) < len(lt.to_bytes(model)), "F16 is not smaller than F32"
    loaded = lt.from_bytes(data)
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values()):
        assert b.dtype == torch.float32 and torch.equal(a.half().float(), b), "F16 did not load the halves"
    assert lt.to_bytes(loaded, "F16") == data, "the halves did not save to the same F16 bytes"
    half = lt.LatentLabAutoencoder(model.config)
    half.load_state_dict(model.state_dict())
    assert lt.to_bytes(half.half()) == data, "a .half() module did not save as F16"
    with torch.no_grad():
        loaded.layers[1].weight[2, 3] = 65519.0  # rounds to 65504: saved
        assert lt.from_bytes(lt.to_bytes(loaded, "F16")).layers[1].weight[2, 3].item() == 65504.0
        loaded.layers[1].weight[2, 3] = -70000.0
    try:
        lt.to_bytes(loaded, "F16")
    except ValueError as error:
        assert str(error).startswith("model file: cannot save as F16: tensor 'layers.1.weight' holds "
                                     "-70000 at [2, 3], beyond the float16 range"), str(error)
    else:
        raise AssertionError("a weight beyond the float16 range was saved")
    try:
        lt.to_bytes(loaded, "F64")
    except ValueError as error:
        assert "dtype must be 'F32', 'F16' or None" in str(error), str(error)
    else:
        raise AssertionError("dtype F64 was accepted")


def main():
    directory, cases = sys.argv[1], sys.argv[2:]
    assert cases, "usage: test_torch_roundtrip.py DIRECTORY CASE..."
    torch.manual_seed(0)
    check_python_only()
    for case in cases:
        print(json.dumps(run_case(directory, case)), flush=True)


if __name__ == "__main__":
    main()
