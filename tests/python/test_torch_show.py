"""show() in python/latentlab_torch.py: what it refuses, before any browser.

    python3 tests/python/test_torch_show.py

(tests/e2e/notebook.test.ts opens what it returns in Chromium.) Checks that
a bad view name, an unknown view, images that are not 28 x 28 or not in
[0, 1], labels that do not match, and a package without the views each
raise an error that names the problem, and that attributes are escaped.
Exits non-zero on any failure.
"""

import html
import os
import sys
import tempfile
import unittest

import torch

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import latentlab_torch as lt  # noqa: E402

MODEL = lt.LatentLabAutoencoder({"inputSize": 784, "encoder": [8], "latentSize": 2, "seed": 1})


class ShowRefuses(unittest.TestCase):
    def refuses(self, error, message, *args, **kwargs):
        with self.assertRaises(error) as raised:
            lt.show(MODEL, *args, **kwargs)
        self.assertIn(message, str(raised.exception))

    def test_view_names(self):
        self.refuses(ValueError, "is not a view's name", "Latent Map")
        self.refuses(ValueError, "there is no view latentlab-nowhere", "nowhere")

    def test_images_and_labels(self):
        self.refuses(ValueError, "n images of 28 x 28 pixels, got shape [3, 100]", images=torch.zeros(3, 100))
        self.refuses(ValueError, "must lie in [0, 1]", images=torch.full((2, 784), 2.0))
        self.refuses(ValueError, "5 labels for 2 images", images=torch.zeros(2, 784), labels=torch.zeros(5))
        self.refuses(ValueError, "labels without images", labels=torch.zeros(5))

    def test_package_without_views(self):
        with tempfile.TemporaryDirectory() as empty:
            self.refuses(FileNotFoundError, "latentlab-views.js is missing", package=empty)

    def test_attributes_are_escaped(self):
        page = lt.show(MODEL, "reconstructions", count='4"><script>', lazy=True, hidden=None).page
        self.assertIn('<latentlab-reconstructions count="4&quot;&gt;&lt;script&gt;" lazy>', page)
        frame = lt.show(MODEL, "samples")._repr_html_()
        self.assertEqual(html.unescape(frame.split('srcdoc="')[1].split('" style=')[0]),
                         lt.show(MODEL, "samples").page)


if __name__ == "__main__":
    unittest.main()
