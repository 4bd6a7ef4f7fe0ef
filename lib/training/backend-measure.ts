/**
 * Measures how fast each backend trains a run's own model, for the "auto" backend choice: the
 * same model (weights from the run's seed), optimizer and loss, trained on the run's first
 * batch, a warm-up step and then a few timed steps, pipelined as a run trains them (one
 * read-back at the end). Everything it builds is disposed; the run itself then builds its
 * model afresh, so its weights do not depend on the measuring.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { compile, toTfjsModel, type TF } from '@/graph-compiler';
import { withSeededMathRandom } from '@/lib/datasets/rng';
import type { StartRequest } from './engine';
import { makeOptimizer } from './optimizer';
import { batchTensors } from './run';
import { makeTrainStep, type StepOutput } from './step';
import type { BackendName } from './tf';
import type { BackendSpeeds } from './backend-pick';

/** Timed steps per backend after the warm-up (fewer when one step is slow). */
export const MEASURED_STEPS = 3;
/** About how long the timed part may take per backend. */
export const MEASURE_BUDGET_MS = 500;

/**
 * Examples per second of `req`'s model on each of `backends`, measured in turn; the backend
 * that was current before is current again afterwards.
 */
export async function measureBackends(tf: TF, req: StartRequest, backends: BackendName[]): Promise<BackendSpeeds> {
  const before = tf.getBackend() as BackendName;
  const speeds: BackendSpeeds = {};
  try {
    for (const name of backends) {
      if (tf.getBackend() !== name) await tf.setBackend(name);
      speeds[name] = await measureOne(tf, req, name);
    }
  } finally {
    if (tf.getBackend() !== before) await tf.setBackend(before);
  }
  return speeds;
}

/** Runs `steps` steps on (x, y) and waits for the last one's loss; the time in ms. */
async function timeSteps(tf: TF, step: (x: tfjs.Tensor, y: tfjs.Tensor) => StepOutput, x: tfjs.Tensor, y: tfjs.Tensor, steps: number): Promise<number> {
  const t0 = performance.now();
  let out: StepOutput | null = null;
  for (let i = 0; i < steps; i++) {
    if (out) tf.dispose(out);
    out = step(x, y);
  }
  try {
    await out![0].data();
  } finally {
    tf.dispose(out!);
  }
  return performance.now() - t0;
}

async function measureOne(tf: TF, req: StartRequest, name: BackendName): Promise<number> {
  const { settings, dataset, plan } = req;
  const result = compile(req.doc);
  const nFit = dataset.train.n - Math.floor(dataset.train.n * settings.validationSplit);
  const bs = Math.max(1, Math.min(settings.batchSize, nFit));
  const model = await withSeededMathRandom(settings.seed, () => toTfjsModel(tf, result));
  const optimizer = makeOptimizer(tf, settings);
  const tensors: tfjs.Tensor[] = [];
  try {
    model.compile({ optimizer, loss: plan.loss, metrics: plan.task === 'classification' ? ['acc'] : [] });
    const step = makeTrainStep(tf, model, optimizer);
    const ids = Int32Array.from({ length: bs }, (_, i) => i);
    const [x, y] = batchTensors(tf, dataset, plan, dataset.train, ids, 0, bs);
    tensors.push(x, y);
    if (name === 'cpu') {
      // The CPU's cost grows with the examples, and a convnet's batch can take seconds there:
      // warm up on one example, then time only as many as fit the budget (at least two).
      const x1 = x.slice(0, 1);
      const y1 = y.slice(0, 1);
      tensors.push(x1, y1);
      const one = await timeSteps(tf, step, x1, y1, 1);
      const n = Math.max(Math.min(2, bs), Math.min(bs, Math.floor(MEASURE_BUDGET_MS / (MEASURED_STEPS * Math.max(one, 1e-3)))));
      const xs = n === bs ? x : x.slice(0, n);
      const ys = n === bs ? y : y.slice(0, n);
      if (n !== bs) tensors.push(xs, ys);
      const steps = n * one * MEASURED_STEPS > 2 * MEASURE_BUDGET_MS ? 1 : MEASURED_STEPS;
      return (n * steps * 1000) / (await timeSteps(tf, step, xs, ys, steps));
    }
    // WebGL: the warm-up compiles the shaders of this very batch shape (the run needs them too).
    await timeSteps(tf, step, x, y, 1);
    const single = await timeSteps(tf, step, x, y, 1);
    if (single * MEASURED_STEPS > MEASURE_BUDGET_MS) return (bs * 1000) / single;
    return (bs * MEASURED_STEPS * 1000) / (await timeSteps(tf, step, x, y, MEASURED_STEPS));
  } finally {
    tf.dispose(tensors);
    optimizer.dispose();
    model.dispose();
  }
}
