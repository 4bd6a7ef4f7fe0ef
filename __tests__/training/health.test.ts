/**
 * Training health on tfjs's CPU backend: dead ReLU units, saturated sigmoids and gradient norms
 * measured on constructed models, checked against hand counts (plain JS forward passes) and an
 * independent tf.grads of a hand-written forward pass; the warnings in words; no leaked tensor.
 */
import * as tfjs from '@tensorflow/tfjs';
import { checkTraining, compile, toTfjsModel, type GraphDocument, type TF } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import { checkRun } from '@/lib/training/check';
import { HealthProbe, healthWarnings, gradientRatio, HEALTH_BATCH, type HealthStats } from '@/lib/training/health';
import { mulberry32, withSeededMathRandom } from '@/lib/datasets/rng';
import { TrainingRun } from '@/lib/training/run';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

type NodeSpec = [string, string, Record<string, unknown>?];
const chain = (nodes: NodeSpec[]): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
  edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i][0], target: id })),
});

async function built(doc: GraphDocument, loss = 'binaryCrossentropy') {
  const result = compile(doc);
  // Seeded, as a run builds it: no case may depend on the luck of an unseeded draw.
  const model = await withSeededMathRandom(1, () => toTfjsModel(tf, result));
  model.compile({ optimizer: 'sgd', loss });
  return { result, model };
}

/** Uniform numbers in [-scale, scale), seeded. */
function uniform(n: number, scale: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (2 * r() - 1) * scale);
}

function setLayer(model: tfjs.LayersModel, name: string, kernel: Float32Array, bias: Float32Array): void {
  const layer = model.getLayer(name);
  const [k, b] = layer.getWeights();
  const ts = [tf.tensor(kernel, k.shape), tf.tensor(bias, b.shape)];
  layer.setWeights(ts);
  tf.dispose(ts);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** y = f(x·W + b) for a batch, row-major, in plain numbers. */
function dense(x: Float32Array, n: number, inputs: number, w: Float32Array, b: Float32Array, f: (z: number) => number): Float32Array {
  const units = b.length;
  const out = new Float32Array(n * units);
  for (let e = 0; e < n; e++) {
    for (let j = 0; j < units; j++) {
      let z = b[j];
      for (let i = 0; i < inputs; i++) z += x[e * inputs + i] * w[i * units + j];
      out[e * units + j] = f(z);
    }
  }
  return out;
}

const RELU_NET = chain([
  ['in', 'Input', { shape: [3] }],
  ['dense_1', 'Dense', { units: 6, activation: 'relu' }],
  ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
]);

describe('health statistics', () => {
  it('a ReLU layer forced dead (kernel 0, bias −10) has 100 % dead units, and the warning says so', async () => {
    const { result, model } = await built(RELU_NET);
    setLayer(model, 'dense_1', new Float32Array(18), new Float32Array(6).fill(-10));
    const x = tf.tensor2d(uniform(40 * 3, 1, 1), [40, 3]);
    const y = tf.tensor2d(Float32Array.from({ length: 40 }, (_, i) => i % 2), [40, 1]);
    const before = tf.memory().numTensors;
    const stats = await new HealthProbe(tf, model, result).measure(x, y, 3);
    expect(tf.memory().numTensors).toBe(before);
    const d = stats.layers.find((l) => l.nodeId === 'dense_1')!;
    expect(d.dead).toEqual({ units: 6, dead: 6 });
    // A dead layer passes no gradient to its own kernel.
    expect(d.gradNorm).toBe(0);
    const warnings = healthWarnings(stats);
    expect(warnings.find((w) => w.kind === 'dead')).toEqual({
      nodeId: 'dense_1', kind: 'dead',
      text: "100 % of dense_1's ReLU units are dead (6 of 6 never fire on a batch of 40): lower the learning rate, or use leaky ReLU; He initialisation helps them start alive.",
    });
    // The output layer sees only zeros: no gradient anywhere, so no ratio to judge.
    expect(warnings.map((w) => w.kind)).toEqual(['dead']);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a half-dead layer: the share is the hand count of units that never fire on the batch', async () => {
    const { result, model } = await built(RELU_NET);
    const kernel = uniform(18, 1, 7);
    // Units 0, 2, 4 are pushed below zero for any input in [-1, 1]³; units 1, 3 always fire; unit 5 is left to the data.
    const bias = Float32Array.from([-4, 4, -4, 4, -4, 0.05]);
    setLayer(model, 'dense_1', kernel, bias);
    const n = 100;
    const xs = uniform(n * 3, 1, 9);
    const x = tf.tensor2d(xs, [n, 3]);
    const y = tf.tensor2d(new Float32Array(n).fill(1), [n, 1]);
    const stats = await new HealthProbe(tf, model, result).measure(x, y, 1);
    // The probe uses the first HEALTH_BATCH examples.
    const m = Math.min(n, HEALTH_BATCH);
    const h = dense(xs, m, 3, kernel, bias, (z) => Math.max(0, z));
    let dead = 0;
    for (let j = 0; j < 6; j++) {
      let peak = 0;
      for (let e = 0; e < m; e++) peak = Math.max(peak, h[e * 6 + j]);
      if (peak <= 0) dead++;
    }
    expect(dead).toBeGreaterThanOrEqual(3);
    expect(stats.examples).toBe(m);
    expect(stats.layers.find((l) => l.nodeId === 'dense_1')!.dead).toEqual({ units: 6, dead });
    expect(healthWarnings(stats).some((w) => w.kind === 'dead')).toBe(dead / 6 >= 0.5);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('counts dead channels of a convolution over every example and position', async () => {
    const doc = chain([
      ['in', 'Input', { shape: [4, 4, 1] }],
      ['conv1', 'Conv2D', { filters: 4, kernelSize: 3, activation: 'relu' }],
      ['flat', 'Flatten'],
      ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
    ]);
    const { result, model } = await built(doc);
    // Kernel [3, 3, 1, 4], seeded: channel c of tap t is at t·4 + c. Channels 0 and 2 get
    // non-negative weights and bias 0.1, so they fire everywhere on inputs in [0, 1);
    // channels 1 and 3 have bias −50, which 9 taps of |w| < 0.5 cannot lift above zero.
    const kernel = uniform(9 * 4, 0.5, 7).map((w, i) => (i % 2 === 0 ? Math.abs(w) : w));
    setLayer(model, 'conv1', kernel, Float32Array.from([0.1, -50, 0.1, -50]));
    const x = tf.tensor4d(uniform(8 * 16, 0.5, 3).map((v) => v + 0.5), [8, 4, 4, 1]);
    const y = tf.tensor2d(new Float32Array(8).fill(1), [8, 1]);
    const stats = await new HealthProbe(tf, model, result).measure(x, y, 1);
    expect(stats.layers.find((l) => l.nodeId === 'conv1')!.dead).toEqual({ units: 4, dead: 2 });
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a 4-deep sigmoid stack pushed into saturation by large weights and biases: saturation is the hand count, gradient norms match tf.grads, vanishing is reported', async () => {
    const ids = ['s1', 's2', 's3', 's4', 'out'];
    const width = [3, 8, 8, 8, 8, 1];
    const doc = chain([
      ['in', 'Input', { shape: [3] }],
      ...ids.map((id, i): NodeSpec => [id, 'Dense', { units: width[i + 1], activation: 'sigmoid' }]),
    ]);
    const { result, model } = await built(doc);
    // Kernels in [-2, 2), hidden biases in [4, 8): most hidden sigmoids sit near 1, where their slope is ~0.
    const weights = ids.map((id, i) => ({ k: uniform(width[i] * width[i + 1], 2, 11 + i), b: uniform(width[i + 1], i < 4 ? 2 : 1, 31 + i).map((v) => (i < 4 ? v + 6 : v)) }));
    ids.forEach((id, i) => setLayer(model, id, weights[i].k, weights[i].b));
    const n = 50;
    const xs = uniform(n * 3, 2, 5);
    const ys = Float32Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
    const x = tf.tensor2d(xs, [n, 3]);
    const y = tf.tensor2d(ys, [n, 1]);
    const before = tf.memory().numTensors;
    const stats = await new HealthProbe(tf, model, result).measure(x, y, 2);
    expect(tf.memory().numTensors).toBe(before);

    // Hand count of saturated outputs, layer by layer.
    let a = xs;
    ids.forEach((id, i) => {
      a = dense(a, n, width[i], weights[i].k, weights[i].b, sigmoid);
      const saturated = Array.from(a).filter((v) => v < 0.01 || v > 0.99).length;
      const got = stats.layers.find((l) => l.nodeId === id)!.saturated!;
      expect(got.outputs).toBe(n * width[i + 1]);
      // Float32 sigmoids can sit on the 0.01 / 0.99 edge: allow one output either way.
      expect(Math.abs(got.saturated - saturated)).toBeLessThanOrEqual(1);
    });

    // Gradient norms: tf.grads of the same forward pass written by hand (binary cross-entropy as tfjs clips it).
    const kernels = ids.map((id, i) => tf.tensor2d(weights[i].k, [width[i], width[i + 1]]));
    const biases = ids.map((id, i) => tf.tensor1d(weights[i].b));
    const expected = tf.tidy(() => {
      const g = tf.grads((...ks: tfjs.Tensor[]) => {
        let h: tfjs.Tensor = x;
        ks.forEach((k, i) => {
          h = tf.sigmoid(tf.add(tf.matMul(h, k as tfjs.Tensor2D), biases[i]));
        });
        const p = tf.clipByValue(h, 1e-7, 1 - 1e-7);
        return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))));
      })(kernels);
      return g.map((t) => tf.norm(t).dataSync()[0]);
    });
    tf.dispose([...kernels, ...biases]);
    ids.forEach((id, i) => {
      const got = stats.layers.find((l) => l.nodeId === id)!.gradNorm!;
      expect(Math.abs(got - expected[i]) / expected[i]).toBeLessThan(1e-3);
    });

    const r = gradientRatio(stats)!;
    expect(r.first.nodeId).toBe('s1');
    expect(r.last.nodeId).toBe('out');
    expect(r.ratio / (expected[4] / expected[0])).toBeCloseTo(1, 3);
    expect(r.ratio).toBeGreaterThanOrEqual(100);
    const warnings = healthWarnings(stats);
    expect(warnings.find((w) => w.kind === 'vanishing')).toMatchObject({ nodeId: 's1' });
    expect(warnings.find((w) => w.kind === 'vanishing')!.text).toMatch(/^Gradients reaching s1 are [\d,]+× smaller than at the output \(out\): vanishing gradients \(sigmoid saturates\)\. Use ReLU or tanh instead of sigmoid/);
    // Hidden layers are warned about; the output's saturation is its confidence.
    expect(warnings.filter((w) => w.kind === 'saturated').length).toBeGreaterThan(0);
    expect(warnings.filter((w) => w.kind === 'saturated').map((w) => w.nodeId)).toEqual(ids.slice(0, 4).filter((id) => {
      const s = stats.layers.find((l) => l.nodeId === id)!.saturated!;
      return s.saturated / s.outputs >= 0.5;
    }));
    expect(stats.layers.map((l) => !!l.isOutput)).toEqual([false, false, false, false, true]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a healthy tanh network has no warnings', async () => {
    const doc = chain([
      ['in', 'Input', { shape: [2] }],
      ['h1', 'Dense', { units: 8, activation: 'tanh' }],
      ['h2', 'Dense', { units: 8, activation: 'relu' }],
      ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
    ]);
    const { result, model } = await built(doc);
    const x = tf.tensor2d(uniform(64 * 2, 1, 2), [64, 2]);
    const y = tf.tensor2d(Float32Array.from({ length: 64 }, (_, i) => i % 2), [64, 1]);
    const stats = await new HealthProbe(tf, model, result).measure(x, y, 1);
    expect(stats.layers.map((l) => l.nodeId)).toEqual(['h1', 'h2', 'out']);
    expect(stats.layers.every((l) => (l.gradNorm ?? 0) > 0)).toBe(true);
    expect(healthWarnings(stats)).toEqual([]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('health warnings', () => {
  const layer = (nodeId: string, extra: object) => ({ nodeId, name: nodeId, activation: 'relu', ...extra });
  const stats = (epoch: number, layers: HealthStats['layers']): HealthStats => ({ epoch, examples: 64, layers });

  it('hold only while the condition holds: a recovered layer clears', () => {
    const sick = stats(1, [layer('a', { dead: { units: 10, dead: 5 }, gradNorm: 1 }), layer('b', { gradNorm: 2 })]);
    const well = stats(2, [layer('a', { dead: { units: 10, dead: 4 }, gradNorm: 1 }), layer('b', { gradNorm: 2 })]);
    expect(healthWarnings(sick).map((w) => w.kind)).toEqual(['dead']);
    expect(healthWarnings(well)).toEqual([]);
  });

  it('saturation at the threshold, tanh and sigmoid each with their own bounds and cures', () => {
    const s = stats(1, [
      { nodeId: 't', name: 'my <tanh>', activation: 'tanh', saturated: { outputs: 100, saturated: 50 } },
      { nodeId: 's', name: 's', activation: 'sigmoid', saturated: { outputs: 100, saturated: 49 } },
    ]);
    // A saturated output layer is a confident model, not a sick one.
    expect(healthWarnings(stats(1, [{ nodeId: 'o', name: 'o', activation: 'sigmoid', isOutput: true, saturated: { outputs: 100, saturated: 100 } }]))).toEqual([]);
    expect(healthWarnings(s)).toEqual([{ nodeId: 't', kind: 'saturated', text: "50 % of my <tanh>'s tanh outputs are saturated (beyond ±0.99): their gradient is almost 0. Use ReLU instead, batch norm before it, or smaller initial weights (Glorot)." }]);
  });

  it('exploding: a non-finite gradient, gradients 100× larger at the input, or 100× growth since the first measurement', () => {
    expect(healthWarnings(stats(1, [layer('a', { gradNorm: NaN }), layer('b', { gradNorm: 1 })]))[0].text).toBe('The gradient at a is NaN: exploding gradients. Lower the learning rate, or add batch norm.');
    expect(healthWarnings(stats(1, [layer('a', { gradNorm: 500 }), layer('b', { gradNorm: 2 })]))[0].text).toBe('Gradients reaching a are 250× larger than at the output (b): exploding gradients. Lower the learning rate, or add batch norm.');
    const first = stats(1, [layer('a', { gradNorm: 0.01 }), layer('b', { gradNorm: 0.02 })]);
    const later = stats(5, [layer('a', { gradNorm: 5 }), layer('b', { gradNorm: 1 })]);
    expect(healthWarnings(later, first).map((w) => [w.nodeId, w.kind, w.text])).toEqual([['a', 'exploding', 'The gradient at a has grown 500× since epoch 1: exploding gradients. Lower the learning rate.']]);
    // 99× is below the threshold.
    expect(healthWarnings(stats(1, [layer('a', { gradNorm: 0.01 }), layer('b', { gradNorm: 0.99 })]))).toEqual([]);
    expect(healthWarnings(stats(1, [layer('a', { gradNorm: 0.01 }), layer('b', { gradNorm: 1 })])).map((w) => w.kind)).toEqual(['vanishing']);
  });
});

describe('health during a run', () => {
  it('is reported at epoch ends, at most every ~200 ms and at the last epoch, and leaks no tensor', async () => {
    const { settings } = checkTraining({ dataset: 'circle', epochs: 6, batchSize: 16, validationSplit: 0 });
    const ds = playgroundSet('circle').dataset(settings);
    const result = compile(chain([
      ['in', 'Input', { shape: [2] }],
      ['h', 'Dense', { units: 8, activation: 'relu' }],
      ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
    ]));
    const plan = checkRun(result, settings, ds, ds.train.n).plan!;
    const reports: HealthStats[] = [];
    const start = tf.memory().numTensors;
    const run = new TrainingRun({ tf, result, settings, dataset: ds, plan, listener: { onHealth: (h) => reports.push(h.stats) } });
    const end = await run.start();
    run.dispose();
    expect(tf.memory().numTensors).toBe(start);
    expect(end.reason).toBe('completed');
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports[reports.length - 1].epoch).toBe(6);
    expect(reports[0].examples).toBe(HEALTH_BATCH);
    expect(reports[0].layers.map((l) => l.nodeId)).toEqual(['h', 'out']);
  });
});
