/**
 * The perceptron learning rule: a hand-computed sequence of updates, the graphs it applies to,
 * the run check that chooses it for the hand-built perceptron and the template alike, and
 * convergence on the template's data whatever the seed (and none on exclusive or).
 */
import { checkTraining, compile, type GraphDocument, type TF } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import type { DatasetInfo } from '@/lib/datasets/types';
import { mulberry32, shuffleInPlace } from '@/lib/datasets/rng';
import { perceptron } from '@/lib/templates/basic';
import { checkRun } from '@/lib/training/check';
import { TrainingRun } from '@/lib/training/run';
import type { LayerWeights } from '@/lib/training/neurons';
import { perceptronErrors, perceptronOf, perceptronPredict, trainPerceptron, type PerceptronUpdate } from '@/lib/training/perceptron';
import { onCpuBackend } from '../tf-cpu';

type NodeSpec = [string, string, Record<string, unknown>?];
const chain = (nodes: NodeSpec[]): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
  edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i][0], target: id })),
});

const HAND_BUILT = chain([['in', 'Input', { shape: [2] }], ['out', 'Dense', { units: 1, activation: 'step' }]]);
const SPLIT = chain([['in', 'Input', { shape: [2] }], ['lin', 'Dense', { units: 1 }], ['act', 'Activation', { activation: 'step' }]]);
const POINTS: DatasetInfo = { id: 'gaussian', title: 'the two gaussians points', task: 'classification', featureShape: [2], classNames: ['0', '1'] };

describe('the perceptron learning rule', () => {
  it('makes the updates computed by hand on four separable points, then a pass without a mistake', () => {
    // P1 (1, 1) → 1, P2 (0, −1) → 0, P3 (2, −1) → 1, P4 (−1, 0) → 0; w = (−1, 0), b = 0, η = 0.5.
    const x = [1, 1, 0, -1, 2, -1, -1, 0];
    const y = [1, 0, 1, 0];
    const p = { w: new Float64Array([-1, 0]), b: 0, useBias: true };
    const updates: PerceptronUpdate[] = [];
    const out = trainPerceptron(p, { x, y }, { eta: 0.5, epochs: 10, orderOf: () => [0, 1, 2, 3], onUpdate: (u) => updates.push(u) });
    const brief = updates.map(({ epoch, position, example, predicted, dw, db, w, b }) => ({ epoch, position, example, predicted, dw, db, w, b }));
    expect(brief).toEqual([
      // Pass 1. P1: w·x + b = −1 ≤ 0 → ŷ = 0, y = 1: Δw = 0.5·(1, 1), Δb = 0.5.
      { epoch: 1, position: 1, example: 0, predicted: 0, dw: [0.5, 0.5], db: 0.5, w: [-0.5, 0.5], b: 0.5 },
      // P2: −0.5 + 0.5 = 0 → ŷ = 0, right. P3: −1 − 0.5 + 0.5 = −1 → ŷ = 0, y = 1: Δw = 0.5·(2, −1).
      { epoch: 1, position: 3, example: 2, predicted: 0, dw: [1, -0.5], db: 0.5, w: [0.5, 0], b: 1 },
      // P4: −0.5 + 1 = 0.5 → ŷ = 1, y = 0: Δw = −0.5·(−1, 0), Δb = −0.5.
      { epoch: 1, position: 4, example: 3, predicted: 1, dw: [0.5, 0], db: -0.5, w: [1, 0], b: 0.5 },
      // Pass 2. P1: 1.5, right. P2: 0.5 → ŷ = 1, y = 0: Δw = −0.5·(0, −1), Δb = −0.5.
      { epoch: 2, position: 2, example: 1, predicted: 1, dw: [0, 0.5], db: -0.5, w: [1, 0.5], b: 0 },
    ]);
    expect(updates.map((u) => u.update)).toEqual([1, 2, 3, 4]);
    // Pass 3: 1.5, −0.5, 1.5, −1: no mistake.
    expect(out).toEqual({ separated: true, epochs: 3, updates: 4, mistakes: [3, 1, 0] });
    expect(perceptronErrors(p, x, y, 4)).toBe(0);
  });

  it('predicts 1 only above 0, as tf.step does, and keeps b at 0 without a bias', () => {
    expect(perceptronPredict({ w: Float64Array.from([1, -1]), b: 0 }, [1, 1])).toBe(0);
    expect(perceptronPredict({ w: Float64Array.from([1, -1]), b: 0.01 }, [1, 1])).toBe(1);
    const p = { w: new Float64Array([0, 0]), b: 0, useBias: false };
    trainPerceptron(p, { x: [1, 2], y: [1] }, { eta: 1, epochs: 1, orderOf: () => [0] });
    expect(Array.from(p.w)).toEqual([1, 2]);
    expect(p.b).toBe(0);
  });

  it('applies to Input → Dense(1, step) and Input → Dense(1) → Activation(step), and nothing else', () => {
    expect(perceptronOf(compile(HAND_BUILT))).toEqual({ denseId: 'out', stepId: 'out', inputs: 2 });
    expect(perceptronOf(compile(SPLIT))).toEqual({ denseId: 'lin', stepId: 'act', inputs: 2 });
    expect(perceptronOf(compile(perceptron))).toEqual({ denseId: 'perceptron', stepId: 'perceptron', inputs: 2 });
    const not = [
      chain([['in', 'Input', { shape: [2] }], ['out', 'Dense', { units: 1, activation: 'sigmoid' }]]),
      chain([['in', 'Input', { shape: [2] }], ['out', 'Dense', { units: 2, activation: 'step' }]]),
      chain([['in', 'Input', { shape: [2] }], ['h', 'Dense', { units: 4, activation: 'tanh' }], ['out', 'Dense', { units: 1, activation: 'step' }]]),
      chain([['in', 'Input', { shape: [2] }], ['lin', 'Dense', { units: 1, activation: 'tanh' }], ['act', 'Activation', { activation: 'step' }]]),
      chain([['in', 'Input', { shape: [4, 4] }], ['out', 'Dense', { units: 1, activation: 'step' }]]),
    ];
    for (const doc of not) expect(perceptronOf(compile(doc))).toBeNull();
  });

  it('is the rule the run check chooses for the hand-built perceptron and the template, with no cross-entropy refusal', () => {
    for (const doc of [HAND_BUILT, SPLIT, perceptron]) {
      for (const block of [{ dataset: 'gaussian' }, { dataset: 'gaussian', loss: 'binaryCrossentropy' }, { ...doc.training }]) {
        const check = checkRun(compile(doc), checkTraining(block).settings, POINTS, 500);
        expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(check.plan).toMatchObject({ rule: 'perceptron', loss: 'meanSquaredError', encoding: 'binary' });
        expect(check.rule).toBe('perceptron');
      }
    }
    const mlp = chain([['in', 'Input', { shape: [2] }], ['h', 'Dense', { units: 4, activation: 'tanh' }], ['out', 'Dense', { units: 1, activation: 'sigmoid' }]]);
    expect(checkRun(compile(mlp), checkTraining({ dataset: 'xor' }).settings, POINTS, 500).plan?.rule).toBe('gradient');
  });

  /** The template's data for a seed, and the rule run from weights the seed draws. */
  function trainTemplate(seed: number, dataset: 'gaussian' | 'xor') {
    const { settings } = checkTraining({ ...perceptron.training, dataset, seed });
    const ds = playgroundSet(dataset).dataset(settings);
    const n = ds.train.n - Math.floor(ds.train.n * settings.validationSplit);
    const rand = mulberry32(seed);
    const p = { w: Float64Array.from([rand() * 2 - 1, rand() * 2 - 1]), b: 0, useBias: true };
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    return { n, out: trainPerceptron(p, { x: ds.train.x, y: ds.train.y }, { eta: settings.learningRate, epochs: settings.epochs, orderOf: () => shuffleInPlace(ids, rand) }) };
  }

  it.each([1, 2, 3, 5, 42])('separates the template’s two Gaussians within its epochs for seed %i', (seed) => {
    const { out } = trainTemplate(seed, 'gaussian');
    expect(out.separated).toBe(true);
    expect(out.mistakes[out.mistakes.length - 1]).toBe(0);
  });

  it('never gets through exclusive or without a mistake', () => {
    const { n, out } = trainTemplate(42, 'xor');
    expect(out.separated).toBe(false);
    expect(Math.min(...out.mistakes)).toBeGreaterThan(n / 10);
  });
});

describe('a run by the perceptron rule (tfjs, CPU backend)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as TF;
  onCpuBackend(tf);

  async function run(dataset: 'gaussian' | 'xor', seed: number, doc: GraphDocument = perceptron, startWeights?: LayerWeights[]) {
    const { settings } = checkTraining({ ...perceptron.training, dataset, seed });
    const ds = playgroundSet(dataset).dataset(settings);
    const result = compile(doc);
    const plan = checkRun(result, settings, ds, ds.train.n).plan!;
    const updates: PerceptronUpdate[] = [];
    const r = new TrainingRun({ tf, result, settings, dataset: ds, plan, boundaryGrid: 8, startWeights, listener: { onPerceptron: (u) => updates.push(u), onBoundary: () => undefined } });
    const end = await r.start();
    const ev = await r.evaluate();
    const weights = r.model!.getWeights().map((w) => Array.from(w.dataSync()));
    r.dispose();
    return { end, ev, updates, weights, ds };
  }

  it.each([1, 42])('separates the two Gaussians for seed %i, the model holding the rule’s last w and b', async (seed) => {
    const { end, ev, updates, weights } = await run('gaussian', seed);
    expect(end.reason).toBe('completed');
    expect(end.message).toMatch(/^The perceptron separates the \d+ training points/);
    expect(end.history[end.history.length - 1].loss).toBe(0);
    // Seed 42 draws starting weights that already separate the points: no update is needed.
    expect(updates.length > 0).toBe(seed !== 42);
    const last = updates[updates.length - 1];
    if (last) {
      expect(weights[0][0]).toBeCloseTo(last.w[0], 5);
      expect(weights[0][1]).toBeCloseTo(last.w[1], 5);
      expect(weights[1][0]).toBeCloseTo(last.b, 5);
    }
    expect(ev.accuracy).toBeGreaterThan(0.98);
  });

  it('starts from weights set by hand (the neuron view’s): the line x1 + x2 = 0 already separates the Gaussians, so seed 1 makes no update', async () => {
    expect((await run('gaussian', 1)).updates.length).toBeGreaterThan(0);
    const line: LayerWeights[] = [{ nodeId: 'perceptron', kernel: Float32Array.from([1, 1]), bias: Float32Array.from([0]) }];
    const { end, updates, weights } = await run('gaussian', 1, perceptron, line);
    expect(updates).toEqual([]);
    expect(end.message).toContain('the weights you set already do');
    expect(weights).toEqual([[1, 1], [0]]);
    // Weights that do not fit the chain (another node's) are ignored: the seed's draw trains.
    const stray: LayerWeights[] = [{ ...line[0], nodeId: 'elsewhere' }];
    expect((await run('gaussian', 1, perceptron, stray)).updates.length).toBeGreaterThan(0);
  });

  it('trains Dense → Activation(step) the same way', async () => {
    const { end } = await run('gaussian', 2, SPLIT);
    expect(end.reason).toBe('completed');
  });

  it('says plainly that it cannot separate exclusive or', async () => {
    const { end, ev } = await run('xor', 42);
    expect(end.reason).toBe('not-separable');
    expect(end.message).toMatch(/No straight line .* cannot learn them: that is why networks have hidden layers/);
    expect(end.history.every((e) => e.loss > 0)).toBe(true);
    expect(ev.accuracy).toBeLessThan(0.8);
  }, 30_000);
});
