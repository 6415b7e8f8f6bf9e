// What the soak (scripts/soak.mjs) asks of every model after every epoch:
// every number the API hands back is finite, and a divergence is an Error
// that says so, with the parameters exactly as they were before the step
// that failed and the model still usable.

/** Values that are not finite in `value` (numbers, typed arrays, arrays and objects of them, nested). */
export function countNonFinite(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : 1;
  if (ArrayBuffer.isView(value)) {
    let count = 0;
    for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i])) count++;
    return count;
  }
  if (typeof value === 'object' && value !== null) {
    let count = 0;
    for (const item of Object.values(value)) count += countNonFinite(item);
    return count;
  }
  return 0;
}

/** The first places (e.g. 'evaluate.loss', 'reconstruct[17]') where `value` holds a number that is not finite. */
export function nonFinitePlaces(value, where = 'result', found = []) {
  if (found.length >= 3) return found;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) found.push(`${where} = ${value}`);
  } else if (ArrayBuffer.isView(value)) {
    const i = Array.prototype.findIndex.call(value, (v) => !Number.isFinite(v));
    if (i >= 0) found.push(`${where}[${i}] = ${value[i]}`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) nonFinitePlaces(item, `${where}.${key}`, found);
  }
  return found;
}

/**
 * What a model or a PCA returns for the test set and for `probe` (a few test
 * images as floats): evaluate, encode, decode, reconstruct, anomalyScores,
 * interpolate.
 */
function codecOutputs(codec, test, probe) {
  const inputs = codec.inputSize;
  const codes = codec.encode(probe);
  return {
    evaluate: codec.evaluate(test),
    encode: codes,
    decode: codec.decode(codes),
    reconstruct: codec.reconstruct(probe),
    anomalyScores: codec.anomalyScores(probe),
    interpolate: codec.interpolate(probe.subarray(0, inputs), probe.subarray(inputs, 2 * inputs), 8),
  };
}

/** What an autoencoder returns: codecOutputs, a VAE's prior samples, and the parameters. */
export function modelOutputs(model, test, probe) {
  return {
    ...codecOutputs(model, test, probe),
    ...(model.config.variational ? { sample: model.sample(64, { seed: 1 }) } : {}),
    parameters: model.parameters(),
  };
}

/** What a fitted PCA returns: codecOutputs, its components and their variances. */
export function pcaOutputs(pca, test, probe) {
  return {
    ...codecOutputs(pca, test, probe),
    componentVectors: pca.componentVectors(),
    explainedVariance: pca.explainedVariance(),
  };
}

/** Equal bit for bit (so NaN = NaN and 0 != -0): parameters kept "as they were". */
export function sameBits(a, b) {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

const divergedMessage = /^training diverged at step (\d+): .*the parameters are kept as they were/;

/**
 * Trains `model` on `data` with `options` (an epoch, or at most `steps`
 * mini-batches), copying the parameters after every step. Returns
 * `{ stats, lastLoss, nonFinite, problems }`, or, if the engine reports a
 * divergence, `{ divergence: { step, message, usable }, lastLoss,
 * nonFinite, problems }`. `lastLoss` is the last mini-batch's loss;
 * `nonFinite` counts numbers that were not finite in what the call
 * returned and in every progress report; `problems` are failures in words:
 * a divergence that is not an Error saying so at the step after the last
 * good one, or that changed the parameters, or after which the model
 * returns a number that is not finite or fails otherwise than by saying
 * so. `usable`: after the divergence the model evaluated `test` finitely
 * and trained `recovery` steps at learning rate 1e-4 (checked unless
 * `recovery` is 0).
 */
export function trainChecked(model, data, options, { steps = Infinity, stepBefore, test, recovery = 10 }) {
  let kept = model.parameters();
  let keptStep = stepBefore;
  let nonFinite = 0;
  let lastLoss;
  const onProgress = (progress) => {
    nonFinite += countNonFinite(progress);
    kept = model.parameters();
    keptStep = progress.step;
    lastLoss = progress.loss;
  };
  try {
    const stats =
      steps === Infinity
        ? model.trainEpoch(data, { ...options, onProgress })
        : model.trainSteps(data, { ...options, steps, onProgress });
    return { stats, lastLoss, nonFinite: nonFinite + countNonFinite(stats), problems: [] };
  } catch (error) {
    const match = error instanceof Error ? divergedMessage.exec(error.message) : null;
    if (!match) throw error;
    const problems = [];
    const step = Number(match[1]);
    if (step !== keptStep + 1) {
      problems.push(
        `the divergence is said to be at step ${step}, but step ${keptStep} was the last one done`,
      );
    }
    if (!sameBits(model.parameters(), kept)) {
      problems.push(`after "${error.message}" the parameters differ from those after step ${keptStep}`);
    }
    const usable = recovery > 0 && afterDivergence(model, data, options, { step, test, recovery, problems });
    return { divergence: { step, message: error.message, usable }, lastLoss, nonFinite, problems };
  }
}

/**
 * After a divergence at `step`: whether the model evaluates `test` finitely
 * and trains on `recovery` steps at learning rate 1e-4. Parameters kept from
 * a step short of overflowing may make its results overflow float: then
 * evaluate must throw an Error saying so, and training on must diverge again
 * with the parameters kept (never a NaN returned); anything else is a
 * problem.
 */
function afterDivergence(model, data, options, { step, test, recovery, problems }) {
  let usable = true;
  try {
    const evaluation = model.evaluate(test);
    if (countNonFinite(evaluation) > 0) {
      problems.push(`after the divergence evaluate returned ${nonFinitePlaces(evaluation, 'evaluate')}`);
    }
  } catch (error) {
    usable = false;
    if (!/ not finite /.test(error.message)) problems.push(`after the divergence evaluate failed: ${error}`);
  }
  const again = trainChecked(
    model,
    data,
    { ...options, learningRate: 1e-4 },
    {
      steps: recovery,
      stepBefore: step - 1,
      test,
      recovery: 0,
    },
  );
  problems.push(...again.problems.map((problem) => `training on at learningRate 1e-4: ${problem}`));
  if (again.nonFinite > 0) problems.push(`training on at learningRate 1e-4 returned numbers not finite`);
  return usable && !again.divergence;
}
