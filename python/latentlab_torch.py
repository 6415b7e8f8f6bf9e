"""LatentLab model files in PyTorch.

A LatentLab model file is a safetensors file: an 8-byte little-endian header
length, a JSON header (tensor dtypes, shapes and byte offsets, plus
``__metadata__`` holding ``format: "latentlab"``, ``version: "2"`` and the
model's resolved ``config`` as JSON; version "1" files, written before the
``init`` option existed, are read too), then the raw little-endian tensors, each
float32 ("F32") or float16 ("F16", half the bytes). The
tensors are named ``layers.{i}.weight`` and ``layers.{i}.bias``, i counting
the layers with parameters in sequence order, in PyTorch's layouts
(``nn.Linear`` [out, in], ``nn.Conv2d`` [out, in, kh, kw],
``nn.ConvTranspose2d`` [in, out, kh, kw]), so they load straight into the
``nn.ModuleList`` below.

    import latentlab_torch as lt
    model = lt.load("model.safetensors")      # an nn.Module
    recon = model(images)                     # images: (n, inputSize) float32
    ... train it further in PyTorch ...
    lt.save(model, "model.safetensors")       # LatentLab's ll.loadModel reads it
    lt.save(model, "small.safetensors", dtype="F16")   # float16 tensors, half the bytes

A file's F16 tensors load into the (float32) module exactly; ``save`` writes
each tensor in the dtype the module holds it (so a ``model.half()`` gives F16)
unless ``dtype`` says "F32" or "F16" for all of them.

Needs nothing beyond PyTorch and the standard library (the ``safetensors``
package reads these files too, but is not required).
"""

import array
import base64
import html
import json
import math
import re
import struct
import sys
from pathlib import Path

import torch
from torch import nn

FORMAT = "latentlab"
VERSION = "2"
READABLE_VERSIONS = ("1", "2")

# The config's keys in the order LatentLab writes them, with the defaults of
# its model schema (core/model_schema.cpp; tests/js/torch-roundtrip.test.ts
# checks these against it) for the keys that have one.
_CONFIG_DEFAULTS = {
    "inputSize": None,  # absent: implied by inputShape
    "inputShape": None,  # [C, H, W]; absent: the input is a flat vector
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

# The kinds of layer an encoder or decoder entry can be besides a number (a
# dense layer): each kind's other fields in the order LatentLab writes them,
# with their defaults (None: required).
_LAYER_FIELDS = {
    "conv": {"kernel": None, "stride": 1, "padding": 0},
    "deconv": {"kernel": None, "stride": 1, "padding": 0, "outputPadding": 0},
    "pool": {},
    "upsample": {},
    "reshape": {},
}
_SPATIAL_KINDS = ("conv", "deconv", "pool", "upsample")
_PARAMETRIC_MODULES = (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)

_ACTIVATIONS = {
    "identity": lambda x: x,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
}


def _is_count(value, smallest=1):
    return isinstance(value, int) and not isinstance(value, bool) and value >= smallest


def _is_shape(value):
    return isinstance(value, list) and len(value) == 3 and all(_is_count(v) for v in value)


def _values(shape):
    count = 1
    for extent in shape:
        count *= extent
    return count


def _layer_kind(entry):
    return "dense" if isinstance(entry, int) else next(iter(entry))


def _normalize_layer(entry, where):
    """A number of units, or the layer object with every field written."""
    if _is_count(entry):
        return entry
    if not isinstance(entry, dict):
        raise ValueError(f"config: {where}: a layer is a positive number of units or an object "
                         f"such as {{\"conv\": 16, \"kernel\": 3}}, got {entry!r}")
    kinds = [key for key in entry if key in _LAYER_FIELDS]
    if not kinds:
        fields = {field for fields in _LAYER_FIELDS.values() for field in fields}
        unknown = [key for key in entry if key not in fields]
        raise ValueError(f"config: {where}: unknown layer kind {unknown[0]!r}" if unknown else
                         f"config: {where}: no layer kind, expected one of {list(_LAYER_FIELDS)}")
    if len(kinds) > 1:
        raise ValueError(f"config: {where}: one layer kind per entry, got {kinds}")
    kind = kinds[0]
    fields = _LAYER_FIELDS[kind]
    unknown = [key for key in entry if key != kind and key not in fields]
    if unknown:
        raise ValueError(f"config: {where}: {kind} has no field {unknown[0]!r}"
                         f" (its fields: {list(fields)})" if fields else
                         f"config: {where}: {kind} has no field {unknown[0]!r}")
    value = entry[kind]
    if kind == "reshape":
        if not _is_shape(value):
            raise ValueError(f"config: {where}: reshape must be [C, H, W] of positive integers, got {value!r}")
    elif not _is_count(value):
        raise ValueError(f"config: {where}: {kind} must be a positive integer, got {value!r}")
    result = {kind: value}
    for field, default in fields.items():
        result[field] = entry.get(field, default)
        if result[field] is None:
            raise ValueError(f"config: {where}: {kind} needs '{field}'")
        smallest = 0 if field in ("padding", "outputPadding") else 1
        if not _is_count(result[field], smallest):
            raise ValueError(f"config: {where}: {field} must be an integer >= {smallest}, got {result[field]!r}")
    # PyTorch's rule: more output padding than stride would be a row no input reaches.
    if kind == "deconv" and result["outputPadding"] >= result["stride"]:
        raise ValueError(f"config: {where}: outputPadding {result['outputPadding']} must be "
                         f"smaller than stride {result['stride']}")
    return result


def _normalize_layers(entries, key):
    if not isinstance(entries, list):
        raise ValueError(f"config: {key} must be a list of layers, got {entries!r}")
    return [_normalize_layer(entry, f"{key}[{i}]") for i, entry in enumerate(entries)]


def normalize_config(config):
    """The config with defaults filled in and keys in LatentLab's order.

    Checks every layer entry and that the sequence of shapes works out; the
    errors name the entry ("config: encoder[1]: ...").
    """
    unknown = set(config) - set(_CONFIG_DEFAULTS)
    if unknown:
        raise ValueError(f"config: unknown keys {sorted(unknown)}")
    config = dict(config)
    shape = config.get("inputShape")
    if shape is not None:
        if not _is_shape(shape):
            raise ValueError(f"config: inputShape must be [C, H, W] of positive integers, got {shape!r}")
        size = _values(shape)
        config.setdefault("inputSize", size)
        if config["inputSize"] != size:
            raise ValueError(f"config: inputSize {config['inputSize']!r} does not match "
                             f"inputShape {shape} ({size} values)")
    config["encoder"] = _normalize_layers(config.get("encoder", []), "encoder")
    if "decoder" in config:
        config["decoder"] = _normalize_layers(config["decoder"], "decoder")
    elif all(isinstance(entry, int) for entry in config["encoder"]):
        config["decoder"] = list(reversed(config["encoder"]))
    else:
        # LatentLab writes the decoder it mirrors into the model file: the
        # mirror of spatial layers lives in the engine alone.
        raise ValueError("config: an encoder with spatial layers needs an explicit decoder "
                         "(LatentLab writes the mirrored one into its model files)")
    config.setdefault("decoderActivation", config.get("activation", _CONFIG_DEFAULTS["activation"]))
    result = {}
    for key, default in _CONFIG_DEFAULTS.items():
        value = config.get(key, default)
        if key in ("inputSize", "latentSize"):
            if value is None:
                raise ValueError(f"config: missing '{key}'")
            if not _is_count(value):
                raise ValueError(f"config: {key} must be a positive integer, got {value!r}")
        if value is not None:
            result[key] = value
    for key in ("activation", "decoderActivation", "latentActivation", "outputActivation"):
        if key in result and result[key] not in _ACTIVATIONS:
            raise ValueError(f"config: {key} must be one of {sorted(_ACTIVATIONS)}, got {result[key]!r}")
    if result["loss"] not in ("mse", "bce"):
        raise ValueError(f"config: loss must be 'mse' or 'bce', got {result['loss']!r}")
    _plan(result)
    return result


def _plan(config):
    """The sequence of a normalized config as steps (kind, entry, inputs, outputs, activation),
    with `inputs` and `outputs` the shape of one sample ((features,) or (C, H, W)), and the
    number of steps that make the encoder (up to the code layer). Raises ValueError naming
    the entry whose shapes do not work out."""
    steps = []
    shape = (config["inputSize"],)

    def add(kind, entry, outputs, activation="identity"):
        nonlocal shape
        steps.append((kind, entry, shape, tuple(outputs), activation))
        shape = tuple(outputs)

    def dense(units, activation):
        if len(shape) == 3:
            add("flatten", None, (_values(shape),))
        add("dense", units, (units,), activation)

    def layer(entry, where, activation, output_layer=False):
        kind = _layer_kind(entry)
        if kind == "dense":
            return dense(entry, activation)
        if kind == "reshape":
            if _values(entry["reshape"]) != _values(shape):
                raise ValueError(f"config: {where}: reshape to {entry['reshape']} needs "
                                 f"{_values(entry['reshape'])} values, got {_values(shape)}")
            return add("reshape", entry, entry["reshape"])
        if len(shape) != 3:
            raise ValueError(f"config: {where}: {kind} needs an input of shape [C, H, W], got "
                             f"{shape[0]} values: put a {{\"reshape\": [C, H, W]}} before it")
        channels, height, width = shape
        if kind == "conv":
            k, s, p = entry["kernel"], entry["stride"], entry["padding"]
            outputs = [entry["conv"], *((n + 2 * p - k) // s + 1 for n in (height, width))]
        elif kind == "deconv":
            k, s, p, q = entry["kernel"], entry["stride"], entry["padding"], entry["outputPadding"]
            outputs = [entry["deconv"], *((n - 1) * s - 2 * p + k + q for n in (height, width))]
        elif kind == "pool":
            outputs = [channels, height // entry["pool"], width // entry["pool"]]
        else:
            outputs = [channels, height * entry["upsample"], width * entry["upsample"]]
        if min(outputs) < 1:
            raise ValueError(f"config: {where}: {kind} maps {list(shape)} to {outputs}, an empty image")
        # Pooling and upsampling have no activation unless they are the output layer.
        add(kind, entry, outputs, activation if output_layer or kind in ("conv", "deconv") else "identity")

    if "inputShape" in config:
        add("reshape", None, config["inputShape"])
    for i, entry in enumerate(config["encoder"]):
        layer(entry, f"encoder[{i}]", config["activation"])
    # A variational code layer emits mean and log-variance: no activation.
    latent = config["latentSize"]
    if "variational" in config:
        dense(2 * latent, "identity")
    else:
        dense(latent, config["latentActivation"])
    code_end = len(steps)
    shape = (latent,)  # the decoder reads a code (variational: z)
    # With 'bce' the output layer emits logits; decode() applies the sigmoid.
    output_activation = "identity" if config["loss"] == "bce" else config["outputActivation"]
    decoder = config["decoder"]
    for i, entry in enumerate(decoder):
        last = i + 1 == len(decoder)
        if last and _layer_kind(entry) == "reshape":
            raise ValueError(f"config: decoder[{i}]: a reshape cannot end the decoder")
        if last and _layer_kind(entry) in _SPATIAL_KINDS:
            layer(entry, f"decoder[{i}]", output_activation, output_layer=True)
        else:
            layer(entry, f"decoder[{i}]", config["decoderActivation"])
    if decoder and _layer_kind(decoder[-1]) in _SPATIAL_KINDS:
        if _values(shape) != config["inputSize"]:
            raise ValueError(f"config: decoder[{len(decoder) - 1}]: the output layer makes "
                             f"{list(shape)} ({_values(shape)} values), the input has {config['inputSize']}")
        add("flatten", None, (_values(shape),))
    else:
        dense(config["inputSize"], output_activation)
    return steps, code_end


class _Reshape(nn.Module):
    """Each sample's values, in order, as `shape` (a reshape entry, or the flat input as inputShape)."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(len(x), *self.shape)

    def extra_repr(self):
        return f"shape={self.shape}"


def _module(kind, entry, inputs, outputs):
    """The nn.Module of one step of the sequence."""
    if kind == "dense":
        return nn.Linear(inputs[0], outputs[0])
    if kind == "conv":
        return nn.Conv2d(inputs[0], outputs[0], entry["kernel"], entry["stride"], entry["padding"])
    if kind == "deconv":
        return nn.ConvTranspose2d(inputs[0], outputs[0], entry["kernel"], entry["stride"],
                                  entry["padding"], output_padding=entry["outputPadding"])
    if kind == "pool":
        return nn.MaxPool2d(entry["pool"])
    if kind == "upsample":
        return nn.Upsample(scale_factor=entry["upsample"], mode="nearest")
    if kind == "reshape":
        return _Reshape(outputs)
    return nn.Flatten()


class LatentLabAutoencoder(nn.Module):
    """The layer sequence of a LatentLab autoencoder.

    The sequence runs the encoder's entries, the code layer (for a variational
    model it emits 2 x latentSize values: the mean, then the log-variance) and
    the decoder's entries, ending with the output layer. ``layers`` holds the
    layers with parameters (nn.Linear, nn.Conv2d, nn.ConvTranspose2d) in that
    order, so that their tensors are named as in the model file; pooling,
    upsampling, reshapes and flattening are steps of the sequence outside it.
    Every method takes and returns flat rows: (n, inputSize) samples in
    PyTorch's CHW order, (n, latentSize) codes. With ``loss: 'bce'`` the
    output layer emits logits and ``decode`` applies the sigmoid, as LatentLab
    does. Penalties and input noise act only in LatentLab's training; this
    module computes the deterministic path: ``forward(x) = decode(encode(x))``
    with the mean code.
    """

    def __init__(self, config):
        super().__init__()
        self.config = normalize_config(config)
        c = self.config
        self.variational = "variational" in c
        plan, code_end = _plan(c)
        # (module, activation name) per step; a plain list, so that only
        # `layers` names parameters.
        self._steps = [(_module(kind, entry, inputs, outputs), activation)
                       for kind, entry, inputs, outputs, activation in plan]
        self._code_end = code_end
        self.layers = nn.ModuleList(module for module, _ in self._steps
                                    if isinstance(module, _PARAMETRIC_MODULES))
        # The code layer's index in `layers`.
        self.code_layer = sum(isinstance(module, _PARAMETRIC_MODULES)
                              for module, _ in self._steps[:code_end]) - 1
        # PyTorch's modules start as LatentLab's 'pytorch' scheme; the others
        # are Glorot (Xavier) uniform and He (Kaiming) uniform, biases at 0.
        if c["init"] != "pytorch":
            for layer in self.layers:
                if c["init"] == "glorot":
                    nn.init.xavier_uniform_(layer.weight)
                else:
                    nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
                nn.init.zeros_(layer.bias)

    def _run(self, x, steps, layer_outputs=None):
        for module, activation in steps:
            x = _ACTIVATIONS[activation](module(x))
            if layer_outputs is not None and isinstance(module, _PARAMETRIC_MODULES):
                layer_outputs.append(x)
        return x

    def feature_maps(self, x):
        """The output of every layer in ``layers`` after its activation, for (n, inputSize)
        samples: (n, C, H, W) for convolutions, (n, units) for dense layers. The decoder
        reads the mean code; the output layer's are logits for 'bce'."""
        outputs = []
        codes = self._run(x, self._steps[: self._code_end], outputs)
        if self.variational:
            codes = codes[:, : self.config["latentSize"]]
        self._run(codes, self._steps[self._code_end :], outputs)
        return outputs

    def encode_distribution(self, x):
        """Variational models: the code layer's (mean, log-variance)."""
        if not self.variational:
            raise ValueError("encode_distribution needs a variational model")
        heads = self._run(x, self._steps[: self._code_end])
        latent = self.config["latentSize"]
        return heads[:, :latent], heads[:, latent:]

    def encode(self, x):
        """(n, inputSize) -> (n, latentSize) codes; variational: the mean."""
        codes = self._run(x, self._steps[: self._code_end])
        return codes[:, : self.config["latentSize"]] if self.variational else codes

    def decode_logits(self, z):
        """The last layer's values, flat: logits for 'bce' (use BCEWithLogitsLoss on them)."""
        return self._run(z, self._steps[self._code_end :])

    def decode(self, z):
        """(n, latentSize) -> (n, inputSize) reconstructions, in output units."""
        outputs = self.decode_logits(z)
        return torch.sigmoid(outputs) if self.config["loss"] == "bce" else outputs

    def forward(self, x):
        return self.decode(self.encode(x))


# ---- safetensors, with json and struct ---------------------------------------------

# safetensors dtype -> (torch dtype, bytes a value, array typecode of the raw values,
# torch dtype of those raw values). F16's bits travel as unsigned 16-bit integers.
_DTYPES = {
    "F32": (torch.float32, 4, "f", torch.float32),
    "F16": (torch.float16, 2, "H", torch.int16),
}
# The largest float16 is 65504; from 65520 on a value rounds to Infinity.
_HALF_LIMIT = 65520.0


def read_safetensors(data):
    """(metadata dict, {name: tensor}) from the bytes of a safetensors file: F32
    tensors as float32, F16 ones as float16."""
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
        if entry.get("dtype") not in _DTYPES:
            raise ValueError(f"model file: tensor '{name}' has dtype {entry.get('dtype')!r}, "
                             "only F32 and F16 are supported")
        dtype, size, typecode, raw = _DTYPES[entry["dtype"]]
        shape = entry["shape"]
        begin, end = entry["data_offsets"]
        count = 1
        for extent in shape:
            count *= extent
        if not 0 <= begin <= end <= len(body) or end - begin != size * count:
            raise ValueError(f"model file: tensor '{name}': data_offsets {[begin, end]} do not hold "
                             f"shape {shape} of {entry['dtype']}")
        values = array.array(typecode)
        values.frombytes(body[begin:end])
        if sys.byteorder != "little":
            values.byteswap()
        tensor = torch.frombuffer(values, dtype=raw) if count else torch.empty(0, dtype=raw)
        tensors[name] = tensor.clone().view(dtype).reshape(shape)
    return metadata, tensors


def _float32_text(value):
    """A float32 value as LatentLab's messages show it: NaN, Infinity, integers
    below 1e9 written out, else the shortest text that reads back as the same float32."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == int(value) and abs(value) < 1e9:
        return str(int(value))
    for precision in range(1, 10):
        text = f"{value:.{precision}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
            return text
    return repr(value)


def _index_in(shape, flat):
    """The index of element `flat` of a row-major tensor of `shape`."""
    index = []
    for extent in reversed(shape):
        index.insert(0, flat % extent)
        flat //= extent
    return index


def _as_half(name, tensor):
    """`tensor` rounded to float16 (to nearest, ties to even, as LatentLab rounds);
    a value that float16 cannot hold finitely raises ValueError naming it, as LatentLab does."""
    flat = tensor.detach().to("cpu", torch.float32).reshape(-1)
    bad = (~torch.isfinite(flat) | (flat.abs() >= _HALF_LIMIT)).nonzero()
    if len(bad):
        at = bad[0].item()
        value = flat[at].item()
        where = (f"model file: cannot save as F16: tensor '{name}' holds {_float32_text(value)} "
                 f"at {_index_in(list(tensor.shape), at)}")
        if not math.isfinite(value):
            raise ValueError(f"{where}: every weight must be finite")
        raise ValueError(f"{where}, beyond the float16 range (the largest half is 65504; from 65520 "
                         "on a value would round to Infinity): save it as F32")
    return flat.to(torch.float16)


def write_safetensors(tensors, metadata, dtype=None):
    """The bytes of a safetensors file holding `tensors` (name -> tensor, in order).

    `dtype` None writes float16 tensors as F16 and every other as F32; "F32" or
    "F16" writes them all so (F16 refuses values beyond its range)."""
    if dtype not in (None, "F32", "F16"):
        raise ValueError(f"dtype must be 'F32', 'F16' or None, got {dtype!r}")
    header = {"__metadata__": metadata}
    chunks, offset = [], 0
    for name, tensor in tensors.items():
        kind = dtype or ("F16" if tensor.dtype == torch.float16 else "F32")
        if kind == "F16":
            bits = _as_half(name, tensor).view(torch.int16).tolist()
            values = array.array("H", (b & 0xFFFF for b in bits))
        else:
            values = array.array("f", tensor.detach().to("cpu", torch.float32).reshape(-1).tolist())
        if sys.byteorder != "little":
            values.byteswap()
        chunk = values.tobytes()
        header[name] = {"dtype": kind, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(chunk)]}
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


def to_bytes(model, dtype=None):
    """The LatentLab model file of a LatentLabAutoencoder, its tensors in `dtype`
    ("F32", "F16"; None: as the module holds them, float16 as F16, else F32)."""
    tensors = {}
    for i, layer in enumerate(model.layers):
        tensors[f"layers.{i}.weight"] = layer.weight
        tensors[f"layers.{i}.bias"] = layer.bias
    config = json.dumps(normalize_config(model.config), separators=(",", ":"))
    return write_safetensors(tensors, {"format": FORMAT, "version": VERSION, "config": config}, dtype)


def load(path):
    with open(path, "rb") as file:
        return from_bytes(file.read())


def save(model, path, dtype=None):
    with open(path, "wb") as file:
        file.write(to_bytes(model, dtype))


# ---- notebooks ------------------------------------------------------------------------

class View:
    """A LatentLab view as a notebook shows it: ``_repr_html_()`` is an iframe
    whose page carries everything inline (the views, the engine, the MNIST
    test digits, the model), so that it works offline."""

    def __init__(self, page):
        self.page = page

    def _repr_html_(self):
        return (f'<iframe title="LatentLab view" srcdoc="{html.escape(self.page, quote=True)}" '
                'style="width: 100%; height: 420px; border: 0"></iframe>')


def _views_folder(package):
    """dist/views of the npm package: `package`'s, else the one this file was shipped in."""
    root = Path(package) if package is not None else Path(__file__).resolve().parent.parent
    folder = root / "dist" / "views"
    if not (folder / "latentlab-views.js").is_file():
        raise FileNotFoundError(
            f"show: {folder / 'latentlab-views.js'} is missing: pass package= the folder of the installed "
            "npm package (node_modules/latentlab), or build this repository (bash scripts/build.sh)")
    return folder


def _script_text(text, what):
    """`text` as the content of a <script> element, which must not end early."""
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise ValueError(f"show: {what} holds '</script' or '<!--' and cannot be inlined")
    return text


def _attribute_text(attributes):
    parts = []
    for name, value in attributes.items():
        name = name.replace("_", "-")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
            raise ValueError(f"show: {name!r} is not an attribute name")
        if value is False or value is None:
            continue
        parts.append(name if value is True else f'{name}="{html.escape(str(value), quote=True)}"')
    return " ".join(parts)


def _idx_files(images, labels):
    """The views' own data ('own', as the page's own IDX files): `images` (n 28 x 28
    images, or n x 784; floats in [0, 1] or uint8) and optional `labels` (n classes
    0-255) as IDX files."""
    pixels = torch.as_tensor(images)
    if pixels.numel() % 784 != 0 or pixels.numel() == 0:
        raise ValueError(f"show: images must be n images of 28 x 28 pixels, got shape {list(pixels.shape)}")
    count = pixels.numel() // 784
    if pixels.dtype != torch.uint8:
        pixels = pixels.to(torch.float32)
        if pixels.min() < 0 or pixels.max() > 1:
            raise ValueError("show: float images must lie in [0, 1] (or pass uint8 pixels 0-255)")
        pixels = (pixels * 255).round().to(torch.uint8)
    files = {"images": {"name": "images-idx3-ubyte",
                        "bytes": struct.pack(">IIII", 0x803, count, 28, 28) + pixels.flatten().numpy().tobytes()}}
    if labels is not None:
        classes = torch.as_tensor(labels).flatten()
        if classes.numel() != count:
            raise ValueError(f"show: {classes.numel()} labels for {count} images")
        if classes.min() < 0 or classes.max() > 255:
            raise ValueError("show: labels must be classes 0-255")
        files["labels"] = {"name": "labels-idx1-ubyte",
                           "bytes": struct.pack(">II", 0x801, count) + classes.to(torch.uint8).numpy().tobytes()}
    return files


def show(model, view="latent-map", images=None, labels=None, package=None, **attributes):
    """The view ``<latentlab-{view}>`` of a LatentLabAutoencoder for a notebook
    (Jupyter, JupyterLab, VS Code): an object whose ``_repr_html_()`` draws it,
    computed by LatentLab's engine in the notebook's browser. The views show
    the MNIST test digits, or `images` (n 28 x 28 images in [0, 1], with
    optional `labels`), which they take as the page takes its reader's own IDX
    files: a sixth of them (at least 100) are the test part they draw.
    ``attributes`` become the element's (``count=10``); ``package`` is the
    installed npm package's folder (default: the one this file came in).

        lt.show(model, "reconstructions", count=10)
        lt.show(model, "latent-map", images=x, labels=y)
    """
    if not re.fullmatch(r"[a-z][a-z-]*", view):
        raise ValueError(f"show: {view!r} is not a view's name (e.g. 'latent-map', 'reconstructions')")
    folder = _views_folder(package)
    views = (folder / "latentlab-views.js").read_text(encoding="utf-8")
    if f'"latentlab-{view}"' not in views:
        raise ValueError(f"show: there is no view latentlab-{view} (docs/embedding.md lists them)")
    workers = sorted((folder / "assets").glob("worker-*.js"))
    engines = [p for p in sorted((folder / "assets").glob("engine-*.wasm")) if not p.name.startswith("engine-threads")]
    if len(workers) != 1 or len(engines) != 1:
        raise FileNotFoundError(f"show: {folder / 'assets'} should hold one worker-*.js and one engine-*.wasm")
    # What the worker would fetch beside itself, by the same names; the engine as 'engine.wasm'.
    files = {"engine.wasm": engines[0].read_bytes()}
    for digits in sorted((folder / "mnist").glob("t10k-*")):
        files[f"mnist/{digits.name}"] = digits.read_bytes()
    encoded = {name: base64.b64encode(data).decode("ascii") for name, data in files.items()}
    worker = json.dumps(workers[0].read_text(encoding="utf-8")).replace("</", "<\\/")
    own = "null"
    if images is not None:
        own = json.dumps({part: {"name": file["name"], "bytes": base64.b64encode(file["bytes"]).decode("ascii")}
                          for part, file in _idx_files(images, labels).items()})
        attributes = {"model": "dataset=own", **attributes}
    elif labels is not None:
        raise ValueError("show: labels without images")
    element = f"latentlab-{view}"
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<style>body {{ margin: 0; font: 14px system-ui, sans-serif; }}</style></head>
<body><{element} {_attribute_text(attributes)}></{element}>
<script>
(() => {{
  const bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const files = {json.dumps(encoded)};
  const own = {own};
  const file = (part) => part && {{ name: part.name, bytes: bytes(part.bytes) }};
  globalThis.latentlabInline = {{
    worker: {_script_text(worker, "the worker")},
    files: Object.fromEntries(Object.entries(files).map(([name, text]) => [name, bytes(text)])),
    ownData: own ? {{ images: file(own.images), labels: file(own.labels) }} : undefined,
  }};
  // The model file, for the settings of the element's model attribute (the data set 'own' if images came).
  const model = new Blob([bytes("{base64.b64encode(to_bytes(model)).decode('ascii')}")]);
  document.querySelector("{element}").setAttribute("src", URL.createObjectURL(model));
  // The notebook's frame follows the view's height.
  new ResizeObserver(() => {{
    if (frameElement) frameElement.style.height = `${{Math.ceil(document.body.getBoundingClientRect().height) + 16}}px`;
  }}).observe(document.body);
}})();
</script>
<script type="module">{_script_text(views, "latentlab-views.js")}</script>
</body></html>
"""
    return View(page)

