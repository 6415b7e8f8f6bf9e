"""LatentLab model files in PyTorch.

A LatentLab model file is a safetensors file: an 8-byte little-endian header
length, a JSON header (tensor dtypes, shapes and byte offsets, plus
``__metadata__`` holding ``format: "latentlab"``, ``version: "2"`` and the
model's resolved ``config`` as JSON; version "1" files, written before the
``init`` option existed, are read too), then the raw little-endian float32 tensors. The
tensors are named ``layers.{i}.weight`` ([out, in], as in ``nn.Linear``) and
``layers.{i}.bias``, so they load straight into the ``nn.ModuleList`` below.

    import latentlab_torch as lt
    model = lt.load("model.safetensors")      # an nn.Module
    recon = model(images)                     # images: (n, inputSize) float32
    ... train it further in PyTorch ...
    lt.save(model, "model.safetensors")       # LatentLab's ll.loadModel reads it

Needs nothing beyond PyTorch and the standard library (the ``safetensors``
package reads these files too, but is not required).
"""

import array
import json
import struct
import sys

import torch
from torch import nn

FORMAT = "latentlab"
VERSION = "2"
READABLE_VERSIONS = ("1", "2")

# The config's keys in the order LatentLab writes them, with the defaults of
# its model schema (core/model_schema.cpp; tests/js/torch-roundtrip.test.ts
# checks these against it) for the keys that have one.
_CONFIG_DEFAULTS = {
    "inputSize": None,
    "encoder": [],
    "latentSize": None,
    "decoder": None,  # absent: the encoder mirrored
    "activation": "relu",
    "decoderActivation": None,  # absent: "activation"
    "latentActivation": "identity",
    "outputActivation": "sigmoid",
    "loss": "mse",
    "seed": 0,
    "init": "pytorch",
    "sparsity": None,
    "noise": None,
    "variational": None,
    "contractive": None,
}

_ACTIVATIONS = {
    "identity": lambda x: x,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
}


def normalize_config(config):
    """The config with defaults filled in and keys in LatentLab's order."""
    unknown = set(config) - set(_CONFIG_DEFAULTS)
    if unknown:
        raise ValueError(f"config: unknown keys {sorted(unknown)}")
    result = {}
    derived = {"decoder": list(reversed(config.get("encoder", []))),
               "decoderActivation": config.get("activation", _CONFIG_DEFAULTS["activation"])}
    for key, default in _CONFIG_DEFAULTS.items():
        value = config.get(key, derived.get(key, default))
        if value is None and key in ("inputSize", "latentSize"):
            raise ValueError(f"config: missing '{key}'")
        if value is not None:
            result[key] = value
    for key in ("activation", "decoderActivation", "latentActivation", "outputActivation"):
        if key in result and result[key] not in _ACTIVATIONS:
            raise ValueError(f"config: {key} must be one of {sorted(_ACTIVATIONS)}, got {result[key]!r}")
    if result["loss"] not in ("mse", "bce"):
        raise ValueError(f"config: loss must be 'mse' or 'bce', got {result['loss']!r}")
    return result


class LatentLabAutoencoder(nn.Module):
    """The multilayer perceptron of a LatentLab autoencoder.

    ``layers`` holds the encoder's hidden layers, the code layer (for a
    variational model it emits 2 x latentSize values: the mean, then the
    log-variance) and the decoder's layers. With ``loss: 'bce'`` the last
    layer emits logits and ``decode`` applies the sigmoid, as LatentLab does.
    Penalties and input noise act only in LatentLab's training; this module
    computes the deterministic path: ``forward(x) = decode(encode(x))`` with
    the mean code.
    """

    def __init__(self, config):
        super().__init__()
        self.config = normalize_config(config)
        c = self.config
        latent = c["latentSize"]
        self.variational = "variational" in c
        encoder = [c["inputSize"], *c["encoder"]]
        decoder = c.get("decoder", list(reversed(c["encoder"])))
        decoder = [latent, *decoder, c["inputSize"]]
        linears, activations = [], []
        for i, inputs in enumerate(encoder):
            code_layer = i + 1 == len(encoder)
            outputs = (2 * latent if self.variational else latent) if code_layer else encoder[i + 1]
            linears.append(nn.Linear(inputs, outputs))
            # A variational code layer emits mean and log-variance: no activation.
            activations.append(("identity" if self.variational else c["latentActivation"])
                                if code_layer else c["activation"])
        for i in range(len(decoder) - 1):
            linears.append(nn.Linear(decoder[i], decoder[i + 1]))
            output_layer = i + 2 == len(decoder)
            activations.append(("identity" if c["loss"] == "bce" else c["outputActivation"])
                               if output_layer else c.get("decoderActivation", c["activation"]))
        self.layers = nn.ModuleList(linears)
        self.activations = activations
        self.code_layer = len(encoder) - 1
        # nn.Linear starts as LatentLab's 'pytorch' scheme; the others are
        # Glorot (Xavier) uniform and He (Kaiming) uniform, biases at 0.
        if c["init"] != "pytorch":
            for layer in self.layers:
                if c["init"] == "glorot":
                    nn.init.xavier_uniform_(layer.weight)
                else:
                    nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
                nn.init.zeros_(layer.bias)

    def _run(self, x, first, last):
        for i in range(first, last):
            x = _ACTIVATIONS[self.activations[i]](self.layers[i](x))
        return x

    def encode_distribution(self, x):
        """Variational models: the code layer's (mean, log-variance)."""
        if not self.variational:
            raise ValueError("encode_distribution needs a variational model")
        heads = self._run(x, 0, self.code_layer + 1)
        latent = self.config["latentSize"]
        return heads[:, :latent], heads[:, latent:]

    def encode(self, x):
        """(n, inputSize) -> (n, latentSize) codes; variational: the mean."""
        codes = self._run(x, 0, self.code_layer + 1)
        return codes[:, : self.config["latentSize"]] if self.variational else codes

    def decode_logits(self, z):
        """The last layer's values: logits for 'bce' (use BCEWithLogitsLoss on them)."""
        return self._run(z, self.code_layer + 1, len(self.layers))

    def decode(self, z):
        """(n, latentSize) -> (n, inputSize) reconstructions, in output units."""
        outputs = self.decode_logits(z)
        return torch.sigmoid(outputs) if self.config["loss"] == "bce" else outputs

    def forward(self, x):
        return self.decode(self.encode(x))


# ---- safetensors, with json and struct ---------------------------------------------

def read_safetensors(data):
    """(metadata dict, {name: float32 tensor}) from the bytes of a safetensors file."""
    if len(data) < 8:
        raise ValueError(f"model file: truncated: {len(data)} bytes")
    (header_length,) = struct.unpack("<Q", data[:8])
    if header_length > len(data) - 8:
        raise ValueError(f"model file: the header length {header_length} runs past the end of the file")
    header = json.loads(data[8 : 8 + header_length].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("model file: the header must be a JSON object")
    metadata = header.pop("__metadata__", {})
    body = memoryview(data)[8 + header_length :]
    tensors = {}
    for name, entry in header.items():
        if entry.get("dtype") != "F32":
            raise ValueError(f"model file: tensor '{name}' has dtype {entry.get('dtype')!r}, only F32 is supported")
        shape = entry["shape"]
        begin, end = entry["data_offsets"]
        count = 1
        for extent in shape:
            count *= extent
        if not 0 <= begin <= end <= len(body) or end - begin != 4 * count:
            raise ValueError(f"model file: tensor '{name}': data_offsets {[begin, end]} do not hold shape {shape}")
        values = array.array("f")
        values.frombytes(body[begin:end])
        if sys.byteorder != "little":
            values.byteswap()
        tensors[name] = torch.frombuffer(values, dtype=torch.float32).clone().reshape(shape)
    return metadata, tensors


def write_safetensors(tensors, metadata):
    """The bytes of a safetensors file holding `tensors` (name -> tensor, in order) as F32."""
    header = {"__metadata__": metadata}
    chunks, offset = [], 0
    for name, tensor in tensors.items():
        values = array.array("f", tensor.detach().to("cpu", torch.float32).reshape(-1).tolist())
        if sys.byteorder != "little":
            values.byteswap()
        chunk = values.tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as safetensors pads
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


# ---- LatentLab model files ----------------------------------------------------------

def from_bytes(data):
    """A LatentLabAutoencoder with the architecture and weights of a LatentLab model file."""
    metadata, tensors = read_safetensors(data)
    if metadata.get("format") != FORMAT:
        raise ValueError(f"model file: __metadata__.format is {metadata.get('format')!r}, expected '{FORMAT}'")
    if metadata.get("version") not in READABLE_VERSIONS:
        raise ValueError(f"model file: unsupported version {metadata.get('version')!r}")
    if "config" not in metadata:
        raise ValueError("model file: __metadata__ has no 'config'")
    model = LatentLabAutoencoder(json.loads(metadata["config"]))
    expected = model.state_dict()
    for name, tensor in tensors.items():
        if name not in expected:
            raise ValueError(f"model file: unexpected tensor '{name}'")
        if tuple(tensor.shape) != tuple(expected[name].shape):
            raise ValueError(f"model file: tensor '{name}' has shape {list(tensor.shape)}, "
                             f"the config implies {list(expected[name].shape)}")
    missing = [name for name in expected if name not in tensors]
    if missing:
        raise ValueError(f"model file: tensor '{missing[0]}' is missing")
    model.load_state_dict(tensors, strict=True)
    return model


def to_bytes(model):
    """The LatentLab model file of a LatentLabAutoencoder."""
    tensors = {}
    for i, layer in enumerate(model.layers):
        tensors[f"layers.{i}.weight"] = layer.weight
        tensors[f"layers.{i}.bias"] = layer.bias
    config = json.dumps(normalize_config(model.config), separators=(",", ":"))
    return write_safetensors(tensors, {"format": FORMAT, "version": VERSION, "config": config})


def load(path):
    with open(path, "rb") as file:
        return from_bytes(file.read())


def save(model, path):
    with open(path, "wb") as file:
        file.write(to_bytes(model))
