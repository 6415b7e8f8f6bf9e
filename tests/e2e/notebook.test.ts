// End-to-end test of python/latentlab_torch.py's show(): a model trained for
// a few steps in PyTorch, shown as a notebook would (the HTML of
// _repr_html_(), here on a page of its own), draws the view in Debian's
// Chromium with everything inline (no request leaves the page), and its
// reconstructions are PyTorch's of the same digits to 1e-5: MNIST's test
// digits, or the notebook's own images.
//   bash scripts/build.sh && npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/notebook.test.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { embeddingDocBlocks, newPage, openSite, repo, serveStatic, slow, type Site } from './helpers';

let site: Site;
let work: string;

beforeAll(async () => {
  site = await openSite(); // for its browser
  work = mkdtempSync(path.join(tmpdir(), 'latentlab-notebook-'));
}, slow);

afterAll(async () => {
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
}, slow);

/** Runs Python code with latentlab_torch importable (Debian's python3, which has torch). */
function python(code: string): string {
  return execFileSync('/usr/bin/python3', ['-c', code], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024, // show()'s HTML carries the engine and the digits
    env: { ...process.env, PYTHONPATH: path.join(repo, 'python') },
  });
}

/** A small model trained for a few steps in PyTorch, saved to `file`; `show` is the show() call's arguments. */
function shownHtml(file: string, show: string): string {
  return python(`
import sys, torch, latentlab_torch as lt
torch.manual_seed(0)
model = lt.LatentLabAutoencoder({"inputSize": 784, "encoder": [64], "latentSize": 8, "seed": 3})
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
x = torch.rand(32, 784)
for _ in range(5):
    optimizer.zero_grad()
    torch.nn.functional.mse_loss(model(x), x).backward()
    optimizer.step()
lt.save(model, ${JSON.stringify(file)})
images = torch.arange(600 * 784).remainder(256).reshape(600, 784) / 255.0  # 8-bit levels: stored exactly
labels = torch.arange(600).remainder(3)
sys.stdout.write(lt.show(model, ${show})._repr_html_())
`);
}

type Shown = { images: number[]; reconstructions: number[]; labels: number[] };

/** Opens a notebook page holding `html` (one view): the data the view drew, typed arrays as arrays. */
async function openNotebook(html: string): Promise<Record<string, unknown>> {
  expect(html).toMatch(/^<iframe title="LatentLab view" srcdoc="/);
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${html}</body></html>`;
  const notebook = await serveStatic(() => page);
  try {
    const { page: browserPage, problems } = await newPage(site);
    const requests: string[] = [];
    browserPage.on('request', (request) => requests.push(request.url()));
    await browserPage.goto(`${notebook.origin}/notebook.html`);
    const frame = browserPage.frames().find((f) => f !== browserPage.mainFrame())!;
    // The page show() writes has the view as its first element.
    type View = HTMLElement & { data?: unknown; notice?: { message: string; waiting: boolean } };
    await frame.waitForFunction(
      () => {
        const { data, notice } = document.body.firstElementChild as View;
        if (notice && !notice.waiting) throw new Error(notice.message);
        return data !== undefined;
      },
      null,
      { timeout: 60_000 },
    );
    const shown = await frame.evaluate(
      () =>
        JSON.parse(
          JSON.stringify((document.body.firstElementChild as View).data, (_, value) =>
            ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : value,
          ),
        ) as Record<string, unknown>,
    );
    // Nothing but the page itself came over the network.
    expect(requests.filter((url) => !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([
      `${notebook.origin}/notebook.html`,
    ]);
    expect(problems).toEqual([]);
    // The frame follows the view's height (its 420 px at first fit none of them exactly).
    const content = await frame.evaluate(() => document.body.getBoundingClientRect().height);
    await expect
      .poll(() =>
        browserPage.evaluate(() => document.querySelector('iframe')!.getBoundingClientRect().height),
      )
      .toBeCloseTo(Math.ceil(content) + 16, 0);
    await browserPage.close();
    return shown;
  } finally {
    await notebook.close();
  }
}

/** What a reconstructions view drew. */
function reconstructionsOf(data: Record<string, unknown>): Shown {
  const { originals, reconstructions } = data as {
    originals: { images: number[]; labels: number[] };
    reconstructions: number[];
  };
  return { images: originals.images, labels: originals.labels, reconstructions };
}

/** PyTorch's reconstructions of `images` by the model in `file`, against the view's: the largest difference. */
function worstDifference(file: string, shown: Shown): number {
  const inputs = path.join(work, 'inputs.json');
  writeFileSync(inputs, JSON.stringify(shown.images));
  const torchReconstructions = JSON.parse(
    python(`
import json, sys, torch, latentlab_torch as lt
model = lt.load(${JSON.stringify(file)})
images = torch.tensor(json.load(open(${JSON.stringify(inputs)})), dtype=torch.float32).reshape(-1, 784)
with torch.no_grad():
    json.dump(model(images).flatten().tolist(), sys.stdout)
`),
  ) as number[];
  return Math.max(...torchReconstructions.map((value, i) => Math.abs(value - shown.reconstructions[i])));
}

test(
  "show(model, 'reconstructions') draws the PyTorch model's reconstructions of MNIST's test digits, offline, equal to PyTorch's to 1e-5",
  async () => {
    const file = path.join(work, 'mnist.safetensors');
    const shown = reconstructionsOf(await openNotebook(shownHtml(file, '"reconstructions", count=6')));
    expect(shown.images.length).toBe(6 * 784);
    expect(shown.labels).toEqual([0, 1, 2, 3, 4, 5]);
    expect(worstDifference(file, shown)).toBeLessThan(1e-5);
  },
  slow,
);

test(
  "show(model, 'reconstructions', images=..., labels=...) draws the notebook's own images, equal to PyTorch's to 1e-5",
  async () => {
    const file = path.join(work, 'own.safetensors');
    const shown = reconstructionsOf(
      await openNotebook(shownHtml(file, '"reconstructions", images=images, labels=labels, count=3')),
    );
    expect(shown.labels).toEqual([0, 1, 2]);
    // Each digit drawn is one of the last sixth of the images given (the test part), as 8-bit pixels.
    const given = Array.from({ length: 100 }, (_, k) =>
      Array.from({ length: 784 }, (_, p) => (((500 + k) * 784 + p) % 256) / 255),
    );
    for (let i = 0; i < 3; i++) {
      const row = shown.images.slice(i * 784, (i + 1) * 784);
      expect(given.some((image) => image.every((v, p) => Math.abs(v - row[p]) < 1e-6))).toBe(true);
    }
    expect(worstDifference(file, shown)).toBeLessThan(1e-5);
  },
  slow,
);

test(
  "docs/embedding.md's notebook example, run as written: each view it shows draws",
  async () => {
    const [example] = embeddingDocBlocks('In a notebook', 'python');
    // The notebook's own data the example names (x, y), and every show() kept.
    const pages = JSON.parse(
      python(`
import json, sys, torch, latentlab_torch as lt
x = torch.arange(600 * 784).remainder(256).reshape(600, 784) / 255.0
y = torch.arange(600).remainder(10)
shown = []
show = lt.show
lt.show = lambda *args, **kwargs: shown.append(show(*args, **kwargs)._repr_html_())
exec(${JSON.stringify(example)})
json.dump(shown, sys.stdout)
`),
    ) as string[];
    expect(pages).toHaveLength(2);
    const [reconstructions, map] = [await openNotebook(pages[0]), await openNotebook(pages[1])];
    expect(reconstructionsOf(reconstructions).labels).toHaveLength(10);
    // 100 points: the test part of the 600 images given, labelled 0-9.
    expect(new Set((map as { labels: number[] }).labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  },
  slow,
);
