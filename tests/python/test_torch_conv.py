"""Convolutional configs in python/latentlab_torch.py (issue 10), without LatentLab.

    python3 tests/python/test_torch_conv.py

Checks that a config builds the modules the issue names, in the order of the
model file's tensors, that the sequence computes what the same PyTorch
modules written out by hand compute, that a model file round-trips, and that
bad layer entries raise a ValueError naming the entry. Exits non-zero on any
failure.
"""

import json
import os
import sys
import unittest

import torch
from torch import nn
from torch.nn import functional as F

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import latentlab_torch as lt  # noqa: E402

# Issue 10's reference model, as LatentLab writes it resolved.
REFERENCE = {
    "inputSize": 784,
    "inputShape": [1, 28, 28],
    "encoder": [{"conv": 16, "kernel": 3, "stride": 2, "padding": 1},
                {"conv": 32, "kernel": 3, "stride": 2, "padding": 1}],
    "latentSize": 32,
    "decoder": [1568, {"reshape": [32, 7, 7]},
                {"deconv": 16, "kernel": 3, "stride": 2, "padding": 1, "outputPadding": 1},
                {"deconv": 1, "kernel": 3, "stride": 2, "padding": 1, "outputPadding": 1}],
    "activation": "relu",
    "decoderActivation": "relu",
    "latentActivation": "identity",
    "outputActivation": "sigmoid",
    "loss": "mse",
    "seed": 0,
    "init": "pytorch",
}

# The Keras tutorial's style: stride-1 convolutions, max pooling, upsampling.
POOLING = {
    "inputShape": [1, 28, 28],
    "encoder": [{"conv": 16, "kernel": 3, "padding": 1}, {"pool": 2},
                {"conv": 8, "kernel": 3, "padding": 1}, {"pool": 2}],
    "latentSize": 32,
    "decoder": [392, {"reshape": [8, 7, 7]}, {"upsample": 2}, {"conv": 8, "kernel": 3, "padding": 1},
                {"upsample": 2}, {"conv": 1, "kernel": 3, "padding": 1}],
}


def with_changes(config, **changes):
    return {**json.loads(json.dumps(config)), **changes}


def describe(module):
    """The module's kind and constructor arguments, to compare with the issue's list."""
    if isinstance(module, nn.Linear):
        return ("Linear", module.in_features, module.out_features)
    common = (module.in_channels, module.out_channels, module.kernel_size, module.stride, module.padding)
    if isinstance(module, nn.ConvTranspose2d):
        return ("ConvTranspose2d", *common, module.output_padding)
    return ("Conv2d", *common)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def samples(count, features, seed=0):
    return torch.rand(count, features, generator=torch.Generator().manual_seed(seed))


class ReferenceModel(unittest.TestCase):
    def test_builds_the_six_modules_of_the_issue(self):
        model = lt.LatentLabAutoencoder(REFERENCE)
        self.assertEqual([describe(m) for m in model.layers], [
            ("Conv2d", 1, 16, (3, 3), (2, 2), (1, 1)),
            ("Conv2d", 16, 32, (3, 3), (2, 2), (1, 1)),
            ("Linear", 1568, 32),
            ("Linear", 32, 1568),
            ("ConvTranspose2d", 32, 16, (3, 3), (2, 2), (1, 1), (1, 1)),
            ("ConvTranspose2d", 16, 1, (3, 3), (2, 2), (1, 1), (1, 1)),
        ])
        self.assertEqual(parameter_count(model), 111_521)
        self.assertEqual(model.code_layer, 2)
        # PyTorch's layouts: Conv2d [out, in, kh, kw], ConvTranspose2d [in, out, kh, kw].
        shapes = {name: list(t.shape) for name, t in model.state_dict().items()}
        self.assertEqual(list(shapes), [f"layers.{i}.{p}" for i in range(6) for p in ("weight", "bias")])
        self.assertEqual(shapes["layers.0.weight"], [16, 1, 3, 3])
        self.assertEqual(shapes["layers.4.weight"], [32, 16, 3, 3])
        self.assertEqual(shapes["layers.5.weight"], [16, 1, 3, 3])

    def test_the_resolved_config_is_its_own_normal_form(self):
        resolved = lt.normalize_config(REFERENCE)
        self.assertEqual(json.dumps(resolved), json.dumps(REFERENCE))  # the same keys in the same order

    def test_fills_in_the_implied_size_and_the_layer_defaults(self):
        config = {"inputShape": [1, 28, 28], "latentSize": 8, "encoder": [{"conv": 4, "kernel": 5}],
                  "decoder": [2304, {"reshape": [4, 24, 24]}, {"deconv": 1, "kernel": 5}]}
        resolved = lt.normalize_config(config)
        self.assertEqual(list(resolved)[:3], ["inputSize", "inputShape", "encoder"])
        self.assertEqual(resolved["inputSize"], 784)
        self.assertEqual(json.dumps(resolved["encoder"]), '[{"conv": 4, "kernel": 5, "stride": 1, "padding": 0}]')
        self.assertEqual(resolved["decoder"][2],
                         {"deconv": 1, "kernel": 5, "stride": 1, "padding": 0, "outputPadding": 0})
        self.assertEqual(resolved["decoderActivation"], "relu")

    def test_computes_what_the_same_modules_in_sequence_compute(self):
        torch.manual_seed(0)
        model = lt.LatentLabAutoencoder(REFERENCE)
        conv1, conv2, code, dense, deconv1, deconv2 = model.layers
        by_hand = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)), conv1, nn.ReLU(), conv2, nn.ReLU(), nn.Flatten(), code,
            dense, nn.ReLU(), nn.Unflatten(1, (32, 7, 7)), deconv1, nn.ReLU(), deconv2, nn.Sigmoid(),
            nn.Flatten())
        x = samples(5, 784)
        with torch.no_grad():
            self.assertTrue(torch.equal(model(x), by_hand(x)))
            self.assertTrue(torch.equal(model.encode(x), by_hand[:7](x)))
            self.assertEqual(model(x).shape, (5, 784))
            maps = model.feature_maps(x)
        self.assertEqual([tuple(m.shape) for m in maps],
                         [(5, 16, 14, 14), (5, 32, 7, 7), (5, 32), (5, 1568), (5, 16, 14, 14), (5, 1, 28, 28)])
        self.assertTrue(torch.equal(maps[-1].flatten(1), model(x)))


class ModelFile(unittest.TestCase):
    def test_a_conv_model_round_trips(self):
        torch.manual_seed(1)
        model = lt.LatentLabAutoencoder(REFERENCE)
        data = lt.to_bytes(model)
        loaded = lt.from_bytes(data)
        self.assertEqual(lt.to_bytes(loaded), data)
        self.assertEqual(loaded.config, REFERENCE)
        for (name, a), (other, b) in zip(model.state_dict().items(), loaded.state_dict().items()):
            self.assertEqual(name, other)
            self.assertTrue(torch.equal(a, b), name)
        x = samples(4, 784)
        with torch.no_grad():
            self.assertTrue(torch.equal(model(x), loaded(x)))
        header = json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])
        self.assertEqual(header["layers.4.weight"]["shape"], [32, 16, 3, 3])
        self.assertEqual(json.loads(header["__metadata__"]["config"]), REFERENCE)

    def test_a_conv_tensor_of_the_wrong_layout_is_refused(self):
        model = lt.LatentLabAutoencoder(REFERENCE)
        tensors = dict(model.state_dict())
        tensors["layers.4.weight"] = tensors["layers.4.weight"].transpose(0, 1)  # [out, in, ...]
        data = lt.write_safetensors(tensors, {"format": "latentlab", "version": "2",
                                              "config": json.dumps(REFERENCE)})
        with self.assertRaisesRegex(ValueError, r"tensor 'layers.4.weight' has shape \[16, 32, 3, 3\], "
                                                r"the config implies \[32, 16, 3, 3\]"):
            lt.from_bytes(data)


class PoolingAndUpsampling(unittest.TestCase):
    def test_builds_and_maps_images_to_images(self):
        torch.manual_seed(0)
        model = lt.LatentLabAutoencoder(POOLING)
        self.assertEqual([describe(m) for m in model.layers], [
            ("Conv2d", 1, 16, (3, 3), (1, 1), (1, 1)),
            ("Conv2d", 16, 8, (3, 3), (1, 1), (1, 1)),
            ("Linear", 392, 32),
            ("Linear", 32, 392),
            ("Conv2d", 8, 8, (3, 3), (1, 1), (1, 1)),
            ("Conv2d", 8, 1, (3, 3), (1, 1), (1, 1)),
        ])
        # 16*9+16 + 8*16*9+8 + 392*32+32 + 32*392+392 + 8*8*9+8 + 8*9+1
        self.assertEqual(parameter_count(model), 27_489)
        x = samples(3, 784)
        w = [layer.weight for layer in model.layers]
        b = [layer.bias for layer in model.layers]
        with torch.no_grad():
            h = x.reshape(3, 1, 28, 28)
            h = F.max_pool2d(F.relu(F.conv2d(h, w[0], b[0], padding=1)), 2)
            h = F.max_pool2d(F.relu(F.conv2d(h, w[1], b[1], padding=1)), 2)
            code = F.linear(h.reshape(3, -1), w[2], b[2])
            h = F.relu(F.linear(code, w[3], b[3])).reshape(3, 8, 7, 7)
            h = F.relu(F.conv2d(F.interpolate(h, scale_factor=2, mode="nearest"), w[4], b[4], padding=1))
            h = torch.sigmoid(F.conv2d(F.interpolate(h, scale_factor=2, mode="nearest"), w[5], b[5], padding=1))
            self.assertTrue(torch.equal(model.encode(x), code))
            self.assertEqual(model(x).shape, (3, 784))
            self.assertLessEqual((model(x) - h.reshape(3, 784)).abs().max().item(), 1e-6)

    def test_a_spatial_last_entry_is_the_output_layer(self):
        # An upsampling output layer: the convolution before it has the hidden
        # activation, the upsampling the output's ('bce': logits, sigmoid in decode).
        for loss in ("mse", "bce"):
            config = with_changes(POOLING, loss=loss, decoderActivation="tanh",
                                  decoder=[392, {"reshape": [8, 7, 7]}, {"upsample": 2},
                                           {"conv": 1, "kernel": 3, "padding": 1}, {"upsample": 2}])
            model = lt.LatentLabAutoencoder(config)
            self.assertEqual(len(model.layers), 5)
            z = samples(2, 32)
            dense, conv = model.layers[3:]
            with torch.no_grad():
                h = torch.tanh(dense(z)).reshape(2, 8, 7, 7)
                h = torch.tanh(conv(F.interpolate(h, scale_factor=2)))
                logits = F.interpolate(h, scale_factor=2).reshape(2, 784)
                last = logits if loss == "bce" else torch.sigmoid(logits)
                self.assertLessEqual((model.decode_logits(z) - last).abs().max().item(), 1e-6, loss)
                self.assertLessEqual((model.decode(z) - torch.sigmoid(logits)).abs().max().item(), 1e-6, loss)

    def test_a_dense_decoder_end_adds_the_dense_output_layer(self):
        config = with_changes(POOLING, decoder=[64])
        model = lt.LatentLabAutoencoder(config)
        self.assertEqual(describe(model.layers[-1]), ("Linear", 64, 784))
        self.assertEqual(model(samples(2, 784)).shape, (2, 784))


class SeveralChannels(unittest.TestCase):
    def test_samples_are_read_in_chw_order(self):
        # 3 x 7 x 5 -> 4 x 3 x 2 -> code -> 4 x 3 x 2 -> 3 x 7 x 5: odd sizes, no padding.
        config = {"inputShape": [3, 7, 5], "encoder": [{"conv": 4, "kernel": 3, "stride": 2}],
                  "latentSize": 5, "decoder": [24, {"reshape": [4, 3, 2]}, {"deconv": 3, "kernel": 3, "stride": 2}],
                  "outputActivation": "identity"}
        torch.manual_seed(2)
        model = lt.LatentLabAutoencoder(config)
        self.assertEqual(model.config["inputSize"], 105)
        x = samples(2, 105)
        conv, code, dense, deconv = model.layers
        with torch.no_grad():
            h = F.relu(conv(x.reshape(2, 3, 7, 5)))
            h = F.relu(dense(code(h.flatten(1)))).reshape(2, 4, 3, 2)
            expected = deconv(h).flatten(1)
            self.assertLessEqual((model(x) - expected).abs().max().item(), 1e-6)


class Variational(unittest.TestCase):
    def test_a_conv_code_layer_emits_mean_and_log_variance(self):
        config = with_changes(REFERENCE, latentSize=16, loss="bce", variational={"beta": 1})
        model = lt.LatentLabAutoencoder(config)
        self.assertEqual(describe(model.layers[2]), ("Linear", 1568, 32))
        self.assertEqual(describe(model.layers[3]), ("Linear", 16, 1568))
        x = samples(6, 784)
        with torch.no_grad():
            mean, log_variance = model.encode_distribution(x)
            self.assertEqual((mean.shape, log_variance.shape), ((6, 16), (6, 16)))
            self.assertTrue(torch.equal(model.encode(x), mean))
            heads = model.feature_maps(x)[2]
            self.assertTrue(torch.equal(torch.cat([mean, log_variance], 1), heads))  # no activation
            recon = model(x)
            self.assertEqual(recon.shape, (6, 784))
            self.assertTrue(torch.equal(recon, torch.sigmoid(model.decode_logits(mean))))


class Initialization(unittest.TestCase):
    def test_glorot_and_he_reach_every_conv_layer(self):
        for init, bound in (("glorot", (6 / (1 * 9 + 16 * 9)) ** 0.5), ("he", (6 / 9) ** 0.5)):
            model = lt.LatentLabAutoencoder(with_changes(REFERENCE, init=init))
            first = model.layers[0].weight
            self.assertLessEqual(first.abs().max().item(), bound, init)
            self.assertGreater(first.abs().max().item(), 0.8 * bound, init)
            for layer in model.layers:
                self.assertEqual(layer.bias.abs().max().item(), 0, init)


class BadEntries(unittest.TestCase):
    def assertRefused(self, config, message):
        with self.assertRaises(ValueError) as caught:
            lt.LatentLabAutoencoder(config)
        self.assertIn(f"config: {message}", str(caught.exception))

    def test_each_bad_entry_is_named(self):
        conv = {"conv": 16, "kernel": 3, "stride": 2, "padding": 1}
        encoder_cases = [
            ([conv, {"convv": 32, "kernel": 3}], "encoder[1]: unknown layer kind 'convv'"),
            ([{"kernel": 3}], "encoder[0]: no layer kind, expected one of"),
            ([{"conv": 16}], "encoder[0]: conv needs 'kernel'"),
            ([{"conv": 16, "kernel": 3, "strides": 2}], "encoder[0]: conv has no field 'strides'"),
            ([{"conv": 16, "pool": 2, "kernel": 3}], "encoder[0]: one layer kind per entry, got ['conv', 'pool']"),
            ([{"conv": 0, "kernel": 3}], "encoder[0]: conv must be a positive integer, got 0"),
            ([{"conv": 16, "kernel": 3, "padding": -1}], "encoder[0]: padding must be an integer >= 0, got -1"),
            ([{"conv": 16, "kernel": 2.5}], "encoder[0]: kernel must be an integer >= 1, got 2.5"),
            ([conv, {"pool": 2, "kernel": 2}], "encoder[1]: pool has no field 'kernel'"),
            ([conv, {"pool": 15}], "encoder[1]: pool maps [16, 14, 14] to [16, 0, 0], an empty image"),
            ([{"conv": 16, "kernel": 31}], "encoder[0]: conv maps [1, 28, 28] to [16, -2, -2], an empty image"),
            (["wide"], "encoder[0]: a layer is a positive number of units or an object"),
            ([conv, True], "encoder[1]: a layer is a positive number of units"),
        ]
        for encoder, message in encoder_cases:
            with self.subTest(message):
                self.assertRefused(with_changes(REFERENCE, encoder=encoder), message)
        deconv = {"deconv": 1, "kernel": 3, "stride": 2, "padding": 1, "outputPadding": 1}
        decoder_cases = [
            ([1568, {"deconv": 16, "kernel": 3}], "decoder[1]: deconv needs an input of shape [C, H, W], "
                                                 "got 1568 values: put a {\"reshape\": [C, H, W]} before it"),
            ([1568, {"reshape": [32, 7, 6]}, deconv], "decoder[1]: reshape to [32, 7, 6] needs 1344 values, got 1568"),
            ([1568, {"reshape": [32, 7]}, deconv], "decoder[1]: reshape must be [C, H, W] of positive integers"),
            ([1568, {"reshape": [32, 7, 7]}], "decoder[1]: a reshape cannot end the decoder"),
            ([1568, {"reshape": [32, 7, 7]}, {**deconv, "outputPadding": 2}],
             "decoder[2]: outputPadding 2 must be smaller than stride 2"),
            ([1568, {"reshape": [32, 7, 7]}, {**deconv, "outputPadding": 0}],
             "decoder[2]: the output layer makes [1, 13, 13] (169 values), the input has 784"),
        ]
        for decoder, message in decoder_cases:
            with self.subTest(message):
                self.assertRefused(with_changes(REFERENCE, decoder=decoder), message)

    def test_bad_shapes_and_missing_decoders(self):
        config = with_changes(REFERENCE)
        del config["decoder"]
        self.assertRefused(config, "an encoder with spatial layers needs an explicit decoder")
        self.assertRefused(with_changes(REFERENCE, inputSize=780),
                           "inputSize 780 does not match inputShape [1, 28, 28] (784 values)")
        self.assertRefused(with_changes(REFERENCE, inputShape=[28, 28]), "inputShape must be [C, H, W]")
        flat = with_changes(REFERENCE)
        del flat["inputShape"]
        self.assertRefused(flat, "encoder[0]: conv needs an input of shape [C, H, W], got 784 values")
        self.assertRefused(with_changes(REFERENCE, encoder={"conv": 16}), "encoder must be a list of layers")

    def test_a_model_file_with_a_bad_entry_is_refused(self):
        data = lt.to_bytes(lt.LatentLabAutoencoder(REFERENCE))
        bad = data.replace(b'{\\"conv\\":32', b'{\\"convv\\":32')
        self.assertNotEqual(bad, data)
        with self.assertRaisesRegex(ValueError, r"config: encoder\[1\]: unknown layer kind 'convv'"):
            lt.from_bytes(bad)


if __name__ == "__main__":
    unittest.main()
