/**
 * The custom training step against tfjs's own `trainOnBatch` on the CPU backend: the same
 * starting weights and batches give the same losses, accuracies and weights, with L1/L2
 * penalties (which the step must add itself), and the step leaks no tensor.
 */
import * as tfjs from '@tensorflow/tfjs';
import type { TF } from '@/graph-compiler';
import { evaluateResident, makeTrainStep } from '@/lib/training/step';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

function model(seed: number) {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelRegularizer: tf.regularizers.l1l2({ l1: 0.001, l2: 0.01 }), kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
  const optimizer = tf.train.adam(0.05);
  m.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['acc'] });
  return { m, optimizer };
}

function batches(): [tfjs.Tensor, tfjs.Tensor][] {
  const out: [tfjs.Tensor, tfjs.Tensor][] = [];
  let s = 7;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (let b = 0; b < 6; b++) {
    const x = Array.from({ length: 20 }, r);
    const y = Array.from({ length: 10 }, (_, i) => (x[2 * i] ** 2 + x[2 * i + 1] ** 2 < 0.5 ? 1 : 0));
    out.push([tf.tensor2d(x, [10, 2]), tf.tensor2d(y, [10, 1])]);
  }
  return out;
}

describe('makeTrainStep', () => {
  it('matches trainOnBatch: losses with penalties, accuracy and the updated weights', async () => {
    const data = batches();
    const a = model(11);
    const b = model(11);
    const step = makeTrainStep(tf, a.m, a.optimizer);
    for (const [x, y] of data) {
      const out = step(x, y);
      const mine = await Promise.all(out.map((t) => t.data()));
      tf.dispose(out);
      const theirs = (await b.m.trainOnBatch(x, y)) as number[];
      expect(mine[0][0]).toBeCloseTo(theirs[0], 5);
      expect(mine[1][0]).toBeCloseTo(theirs[1], 5);
    }
    const wa = a.m.getWeights().map((w) => w.dataSync());
    const wb = b.m.getWeights().map((w) => w.dataSync());
    wa.forEach((w, i) => w.forEach((v, k) => expect(v).toBeCloseTo(wb[i][k], 5)));

    // Validation figures as model.evaluate gives them.
    const [xv, yv] = data[0];
    const ev = evaluateResident(tf, a.m, xv, yv);
    const ref = a.m.evaluate(xv, yv) as tfjs.Scalar[];
    expect(ev[0].dataSync()[0]).toBeCloseTo(ref[0].dataSync()[0], 5);
    expect(ev[1]!.dataSync()[0]).toBeCloseTo(ref[1].dataSync()[0], 5);
    tf.dispose([...ev, ...ref]);

    const before = tf.memory().numTensors;
    tf.dispose(step(data[1][0], data[1][1]));
    expect(tf.memory().numTensors).toBe(before);
    for (const d of data) tf.dispose(d);
    for (const r of [a, b]) {
      r.m.dispose();
      r.optimizer.dispose();
    }
  });

  it('trains dropout in training mode and predicts without it', () => {
    const m = tf.sequential({ layers: [tf.layers.dropout({ inputShape: [4], rate: 0.5 }), tf.layers.dense({ units: 1, kernelInitializer: 'ones', useBias: false })] });
    const optimizer = tf.train.sgd(0);
    m.compile({ optimizer, loss: 'meanSquaredError' });
    const x = tf.ones([64, 4]);
    const y = tf.fill([64, 1], 4);
    // Without dropout the prediction is exactly 4 (loss 0); with it, rate 0.5 scales kept
    // inputs by 2 and drops others, so the training loss is not 0.
    const [loss] = makeTrainStep(tf, m, optimizer)(x, y);
    expect(loss.dataSync()[0]).toBeGreaterThan(0.5);
    const [evalLoss] = evaluateResident(tf, m, x, y);
    expect(evalLoss.dataSync()[0]).toBe(0);
    tf.dispose([loss, evalLoss, x, y]);
    m.dispose();
  });
});
