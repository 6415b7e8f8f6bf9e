// Trains a small autoencoder with a 2-D code on MNIST test digits in the
// page, then draws the codes of 2000 digits (coloured by digit) and eight
// digits above their reconstructions. ?steps=n sets the training steps.
import { fetchMnist, imagesFromIdx, init } from 'latentlab';

const status = /** @type {HTMLElement} */ (document.querySelector('#status'));
const steps = Number(new URLSearchParams(location.search).get('steps') ?? 400);
const colours = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/**
 * Codes (n x 2) as dots scaled to the canvas, coloured by label.
 * @param {HTMLCanvasElement} canvas @param {Float32Array} codes @param {Uint8Array} labels
 */
function drawCodes(canvas, codes, labels) {
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < codes.length; i += 2) {
    minX = Math.min(minX, codes[i]);
    maxX = Math.max(maxX, codes[i]);
    minY = Math.min(minY, codes[i + 1]);
    maxY = Math.max(maxY, codes[i + 1]);
  }
  /** @param {number} v */
  const x = (v) => ((v - minX) / (maxX - minX || 1)) * (canvas.width - 6) + 3;
  /** @param {number} v */
  const y = (v) => ((v - minY) / (maxY - minY || 1)) * (canvas.height - 6) + 3;
  for (let i = 0; i < labels.length; i++) {
    context.fillStyle = colours[labels[i]];
    context.fillRect(x(codes[2 * i]) - 1, y(codes[2 * i + 1]) - 1, 3, 3);
  }
}

/**
 * 28 x 28 grey images in [0, 1], side by side 56 px apart, `top` px down.
 * @param {HTMLCanvasElement} canvas @param {Float32Array} images @param {number} top
 */
function drawDigits(canvas, images, top) {
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  for (let d = 0; d < images.length / 784; d++) {
    const image = context.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const grey = 255 - Math.round(255 * images[d * 784 + p]);
      image.data.set([grey, grey, grey, 255], 4 * p);
    }
    context.putImageData(image, d * 56, top);
  }
}

// An async function rather than top-level await, which bundlers' default targets reject.
async function main() {
  const ll = await init();
  status.textContent = 'Downloading MNIST test digits…';
  const mnist = await fetchMnist(ll, new URL('mnist/', document.baseURI), 'test');
  const data = ll.createDataset(mnist.images.data, 784, { scale: 1 / 255 });
  const model = ll.createModel({ inputSize: 784, encoder: [128], latentSize: 2, loss: 'bce', seed: 1 });
  let loss = NaN;
  for (let done = 0; done < steps; done += 25) {
    // Train in slices and yield between them, so that the page stays responsive.
    loss = model.trainSteps(data, {
      steps: Math.min(25, steps - done),
      batchSize: 64,
      learningRate: 3e-3,
    }).loss;
    status.textContent = `Training: step ${Math.min(done + 25, steps)}, loss ${loss.toFixed(4)}`;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const shown = 2000;
  const images = imagesFromIdx({ shape: [shown, 28, 28], data: mnist.images.data.subarray(0, shown * 784) });
  drawCodes(
    /** @type {HTMLCanvasElement} */ (document.querySelector('#codes')),
    model.encode(images),
    mnist.labels.subarray(0, shown),
  );
  const digits = /** @type {HTMLCanvasElement} */ (document.querySelector('#digits'));
  const eight = images.subarray(0, 8 * 784);
  drawDigits(digits, eight, 0);
  drawDigits(digits, model.reconstruct(eight), 28);
  status.textContent = `Trained ${steps} steps: loss ${loss.toFixed(4)}`;
  document.body.dataset.loss = String(loss);
  document.body.dataset.status = 'done';
  model.dispose();
  data.dispose();
}

main().catch((error) => {
  status.textContent = `Error: ${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset.status = 'error';
});
