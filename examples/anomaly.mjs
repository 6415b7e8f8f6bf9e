// Anomaly detection on your own data: train an autoencoder on normal samples
// only, then flag the samples it reconstructs badly. The data here are
// made-up sensor traces (plain Float32Arrays, one row of 32 readings per
// sample); anomalies carry a spike or run at the wrong frequency.
//   node anomaly.mjs
// SAMPLES=n sets the number of normal training traces (default 4000).
import { init } from 'latentlab';

const width = 32;
const samples = Number(process.env.SAMPLES ?? 4000);

// A seeded generator, so that every run sees the same data.
let state = 42;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};

/**
 * n traces: a sine of random phase and amplitude plus a little noise; anomalous ones are broken.
 * @param {number} n @param {boolean} anomalous
 */
function traces(n, anomalous) {
  const values = new Float32Array(n * width);
  for (let s = 0; s < n; s++) {
    const phase = random() * 2 * Math.PI;
    const amplitude = 0.5 + 0.3 * random();
    const frequency = anomalous && s % 2 === 1 ? 3 : 1; // odd anomalies: the wrong frequency
    const spike = anomalous && s % 2 === 0 ? Math.floor(random() * width) : -1; // even ones: a spike
    for (let i = 0; i < width; i++) {
      const reading = amplitude * Math.sin((2 * Math.PI * frequency * i) / width + phase);
      values[s * width + i] = reading + 0.02 * (random() - 0.5) + (i === spike ? 1 : 0);
    }
  }
  return values;
}

/**
 * Mean squared reconstruction error of every sample.
 * @param {import('latentlab').Model} model @param {Float32Array} values
 */
function reconstructionErrors(model, values) {
  const recon = model.reconstruct(values);
  const errors = new Float32Array(values.length / width);
  for (let s = 0; s < errors.length; s++) {
    let sum = 0;
    for (let i = s * width; i < (s + 1) * width; i++) sum += (recon[i] - values[i]) ** 2;
    errors[s] = sum / width;
  }
  return errors;
}

const ll = await init();
const normal = traces(samples, false);
// Readings are not in [0, 1]: a linear output and the squared error.
const model = ll.createModel({
  inputSize: width,
  encoder: [16],
  latentSize: 3,
  activation: 'tanh',
  outputActivation: 'identity',
  seed: 7,
});
for (let epoch = 0; epoch < 30; epoch++) model.trainEpoch(normal, { batchSize: 64, learningRate: 3e-3 });

// Flag anything worse than 99% of the normal training traces.
const sorted = reconstructionErrors(model, normal).sort();
const threshold = sorted[Math.floor(0.99 * (sorted.length - 1))];
/** @param {Float32Array} values */
const flagged = (values) => reconstructionErrors(model, values).filter((e) => e > threshold).length;
const normalTest = 1000;
const anomalyTest = 200;
const falseAlarms = flagged(traces(normalTest, false));
const caught = flagged(traces(anomalyTest, true));
console.log(`threshold (99th percentile of training errors): ${threshold.toExponential(3)}`);
console.log(`anomalies caught: ${caught}/${anomalyTest}, false alarms: ${falseAlarms}/${normalTest}`);
model.dispose();
