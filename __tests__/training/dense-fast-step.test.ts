/**
 * The dense chain's fast training step (lib/training/step.ts `denseChainForward`) against the
 * step through `model.apply` and against tfjs's own `trainOnBatch`, on models the compiler
 * builds: the same starting weights and batches give the same losses, accuracies and weights
 * over several epochs, with and without L1/L2 penalties, and Dropout is active only in
 * training. Models the fast path does not cover are recognised as such.
 */
import * as tfjs from '@tensorflow/tfjs';
import { compile, toTfjsModel, type GraphDocument, type TF } from '@/graph-compiler';
import { withSeededMathRandom } from '@/lib/datasets/rng';
import { denseChainForward, makeTrainStep } from '@/lib/training/step';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

type NodeSpec = { id: string; type: string; params?: Record<string, unknown> };

/** A chain document: the nodes in order, each fed by the one before. */
function chain(nodes: NodeSpec[]): GraphDocument {
  return {
    format: 'layerboard.graph',
    version: 1,
    name: 'chain',
    nodes: nodes.map((n) => ({ params: {}, ...n })),
    edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })),
  } as unknown as GraphDocument;
}

/** Playground's 2-8-8-1 tanh network, with `extra` params on the hidden layers (e.g. L2). */
function circleNet(extra: Record<string, unknown> = {}): GraphDocument {
  return chain([
    { id: 'in', type: 'Input', params: { shape: [2] } },
    { id: 'h1', type: 'Dense', params: { units: 8, activation: 'tanh', ...extra } },
    { id: 'h2', type: 'Dense', params: { units: 8, activation: 'tanh', ...extra } },
    { id: 'out', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ]);
}

/** The compiled model with weights drawn from `seed` (the same seed gives the same weights). */
async function build(doc: GraphDocument, seed: number, optimizer: () => tfjs.Optimizer, loss: string, metrics: string[]) {
  const result = compile(doc);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const m = await withSeededMathRandom(seed, () => toTfjsModel(tf, result));
  const opt = optimizer();
  m.compile({ optimizer: opt, loss, metrics });
  return { m, opt };
}

/** `epochs` epochs of batches of 10 points of the circle problem, from a fixed generator. */
function circleBatches(epochs: number, perEpoch: number): [tfjs.Tensor, tfjs.Tensor][] {
  let s = 12345;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const out: [tfjs.Tensor, tfjs.Tensor][] = [];
  for (let b = 0; b < epochs * perEpoch; b++) {
    const x = Array.from({ length: 20 }, r);
    const y = Array.from({ length: 10 }, (_, i) => (x[2 * i] ** 2 + x[2 * i + 1] ** 2 < 0.5 ? 1 : 0));
    out.push([tf.tensor2d(x, [10, 2]), tf.tensor2d(y, [10, 1])]);
  }
  return out;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
};

describe('denseChainForward', () => {
  it.each([
    ['no penalty, SGD', {}, () => tf.train.sgd(0.03)],
    ['L2, SGD', { l2: 0.01 }, () => tf.train.sgd(0.03)],
    ['L1 and L2, Adam', { l1: 0.001, l2: 0.01 }, () => tf.train.adam(0.03)],
  ])('trains a 2-8-8-1 tanh chain as model.apply and trainOnBatch do (%s)', async (_name, extra, optimizer) => {
    const doc = circleNet(extra);
    const fast = await build(doc, 7, optimizer, 'binaryCrossentropy', ['acc']);
    const slow = await build(doc, 7, optimizer, 'binaryCrossentropy', ['acc']);
    const ref = await build(doc, 7, optimizer, 'binaryCrossentropy', ['acc']);
    expect(denseChainForward(tf, fast.m)).not.toBeNull();
    const fastStep = makeTrainStep(tf, fast.m, fast.opt);
    const slowStep = makeTrainStep(tf, slow.m, slow.opt, { fast: false });
    // 4 epochs of 25 batches: Playground's 250 training points in batches of 10.
    const data = circleBatches(4, 25);
    let before = 0;
    const losses: number[][] = [[], [], []];
    const accs: number[][] = [[], [], []];
    for (const [b, [x, y]] of data.entries()) {
      // From the second batch on: Adam makes its slot variables at the first.
      if (b === 1) before = tf.memory().numTensors;
      for (const [k, step] of [fastStep, slowStep].entries()) {
        const out = step(x, y);
        const v = await Promise.all(out.map((t) => t.data()));
        tf.dispose(out);
        losses[k].push(v[0][0]);
        accs[k].push(v[1][0]);
      }
      const theirs = (await ref.m.trainOnBatch(x, y)) as number[];
      losses[2].push(theirs[0]);
      accs[2].push(theirs[1]);
    }
    expect(tf.memory().numTensors).toBe(before);
    close(losses[0], losses[1]);
    close(losses[0], losses[2]);
    close(accs[0], accs[1]);
    close(accs[0], accs[2]);
    // The penalty is in the loss: with L2 the training loss exceeds the data's own loss.
    if ('l2' in extra) {
      const [x, y] = data[0];
      const plain = tf.tidy(() => tf.mean(tfjs.metrics.binaryCrossentropy(y, fast.m.predict(x) as tfjs.Tensor)).dataSync()[0]);
      const out = fastStep(x, y);
      expect(out[0].dataSync()[0]).toBeGreaterThan(plain);
      tf.dispose(out);
      // The other two take the same step, so that the weights below stay comparable.
      tf.dispose(slowStep(x, y));
      await ref.m.trainOnBatch(x, y);
    }
    const w = [fast, slow, ref].map((r) => r.m.getWeights().map((t) => t.dataSync()));
    // Training moved the weights (the comparison is not of untouched initial weights).
    const start = await build(doc, 7, optimizer, 'binaryCrossentropy', ['acc']);
    expect(Math.abs(start.m.getWeights()[0].dataSync()[0] - w[0][0][0])).toBeGreaterThan(1e-4);
    for (let i = 0; i < w[0].length; i++) {
      close(w[0][i], w[1][i]);
      close(w[0][i], w[2][i]);
    }
    for (const d of data) tf.dispose(d);
    for (const r of [fast, slow, ref, start]) {
      r.m.dispose();
      r.opt.dispose();
    }
  });

  it('keeps Dropout active in training and off in inference; Flatten and Activation layers run as in the model', async () => {
    const doc = chain([
      { id: 'in', type: 'Input', params: { shape: [4, 4] } },
      { id: 'flat', type: 'Flatten' },
      { id: 'drop', type: 'Dropout', params: { rate: 0.5 } },
      { id: 'h', type: 'Dense', params: { units: 4, activation: 'gelu' } },
      { id: 'out', type: 'Dense', params: { units: 2, activation: 'softmax' } },
    ]);
    const { m, opt } = await build(doc, 3, () => tf.train.sgd(0), 'categoricalCrossentropy', ['acc']);
    const train = denseChainForward(tf, m, true);
    const infer = denseChainForward(tf, m, false);
    expect(train).not.toBeNull();
    expect(infer).not.toBeNull();
    const x = tf.randomUniform([64, 4, 4], 0.5, 1.5, 'float32', 1);
    const before = tf.memory().numTensors;
    // Inference: exactly model.predict.
    const [pi, pm] = [tf.tidy(() => infer!(x)), m.predict(x) as tfjs.Tensor];
    close(pi.dataSync(), pm.dataSync());
    // Training: the masks change the outputs, and two calls draw different masks.
    const [t1, t2] = [tf.tidy(() => train!(x)), tf.tidy(() => train!(x))];
    const diff = (a: tfjs.Tensor, b: tfjs.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(diff(t1, pm)).toBeGreaterThan(1e-3);
    expect(diff(t1, t2)).toBeGreaterThan(1e-3);
    tf.dispose([pi, pm, t1, t2]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
    opt.dispose();
  });

  it('trains dropout in training mode through the step and leaves its loss to the masks', async () => {
    const doc = chain([
      { id: 'in', type: 'Input', params: { shape: [4] } },
      { id: 'drop', type: 'Dropout', params: { rate: 0.5 } },
      { id: 'out', type: 'Dense', params: { units: 1, useBias: false } },
    ]);
    const { m, opt } = await build(doc, 5, () => tf.train.sgd(0), 'meanSquaredError', []);
    expect(denseChainForward(tf, m)).not.toBeNull();
    m.setWeights([tf.ones([4, 1])]);
    const x = tf.ones([64, 4]);
    const y = tf.fill([64, 1], 4);
    // Without dropout the prediction is exactly 4 (loss 0); rate 0.5 drops inputs and scales
    // the kept ones by 2, so the training loss is not 0.
    const [loss] = makeTrainStep(tf, m, opt)(x, y);
    expect(loss.dataSync()[0]).toBeGreaterThan(0.5);
    const evalLoss = m.evaluate(x, y) as tfjs.Scalar;
    expect(evalLoss.dataSync()[0]).toBe(0);
    tf.dispose([loss, evalLoss, x, y]);
    m.dispose();
    opt.dispose();
  });

  it.each([
    ['a branch (Add)', {
      format: 'layerboard.graph', version: 1, name: 'branch',
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [2] } },
        { id: 'a', type: 'Dense', params: { units: 3 } },
        { id: 'b', type: 'Dense', params: { units: 3 } },
        { id: 'sum', type: 'Add', params: {} },
      ],
      edges: [{ source: 'in', target: 'a' }, { source: 'in', target: 'b' }, { source: 'a', target: 'sum' }, { source: 'b', target: 'sum' }],
    }],
    ['batch normalization', chain([
      { id: 'in', type: 'Input', params: { shape: [2] } },
      { id: 'h', type: 'Dense', params: { units: 3 } },
      { id: 'bn', type: 'BatchNormalization' },
    ])],
    ['a Dense layer on rank-3 inputs', chain([
      { id: 'in', type: 'Input', params: { shape: [3, 2] } },
      { id: 'h', type: 'Dense', params: { units: 3 } },
    ])],
  ])('leaves %s to model.apply', async (_name, doc) => {
    const { m, opt } = await build(doc as unknown as GraphDocument, 1, () => tf.train.sgd(0.1), 'meanSquaredError', []);
    expect(denseChainForward(tf, m)).toBeNull();
    m.dispose();
    opt.dispose();
  });
});
