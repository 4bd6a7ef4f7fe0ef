/**
 * The neuron view's maths against tfjs itself (CPU backend): the forward pass equals
 * model.predict and every layer's output (z from tfjs's matMul, a from the model's own layers),
 * the heatmaps equal the layers' outputs over the lattice, and one backpropagation step equals
 * tf.variableGrads of tfjs's loss and the weights after one SGD step of model.trainOnBatch.
 * Also: which graphs are a small dense chain, and the engine's `weights` / `set-weight`
 * requests (equal to model.getWeights(), and no tensor left behind).
 */
import * as tfjs from '@tensorflow/tfjs';
import { checkTraining, compile, toTfjsModel, type GraphDocument, type TF } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import { toNamedTopology } from '@/graph-compiler/emit/tfjs';
import { mulberry32, withSeededMathRandom } from '@/lib/datasets/rng';
import { spiralMlp, perceptron, mlp } from '@/lib/templates/basic';
import { checkRun } from '@/lib/training/check';
import { TrainingEngine } from '@/lib/training/engine';
import type { LossName } from '@/lib/training/loss';
import { readChainWeights } from '@/lib/training/neuron-weights';
import { backprop, denseChain, exampleLoss, forwardPass, neuronMaps, planeLattice, targetOf, type DenseChain, type LayerWeights } from '@/lib/training/neurons';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

type NodeSpec = [string, string, Record<string, unknown>?];
const chainDoc = (nodes: NodeSpec[], training?: Record<string, unknown>): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
  edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i][0], target: id })),
  ...(training ? { training } : {}),
});

/** Close to 1e-5, relative for large values (tfjs computes in float32). */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (err > tol * Math.max(1, Math.abs(expected[i]))) throw new Error(`value ${i}: ${actual[i]} vs ${expected[i]} (tfjs)`);
  }
}

interface Case {
  title: string;
  doc: GraphDocument;
  loss: LossName;
  inputs: number;
  outUnits: number;
}

const CASES: Case[] = [
  {
    title: '2-4-3-1 tanh / relu (Activation node) / sigmoid, binary cross-entropy, an l2 penalty',
    doc: chainDoc([
      ['in', 'Input', { shape: [2] }],
      ['h1', 'Dense', { units: 4, activation: 'tanh', l2: 0.01 }],
      ['h2', 'Dense', { units: 3 }],
      ['act', 'Activation', { activation: 'relu' }],
      ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
    ]),
    loss: 'binaryCrossentropy', inputs: 2, outUnits: 1,
  },
  {
    title: '2-5-3 leakyRelu (alpha 0.2) / softmax, categorical cross-entropy',
    doc: chainDoc([
      ['in', 'Input', { shape: [2] }],
      ['h', 'Dense', { units: 5, activation: 'leakyRelu', alpha: 0.2 }],
      ['out', 'Dense', { units: 3, activation: 'softmax' }],
    ]),
    loss: 'categoricalCrossentropy', inputs: 2, outUnits: 3,
  },
  {
    title: '3-6-2 elu then sigmoid (two activations), no bias, l1 penalty, mean squared error',
    doc: chainDoc([
      ['in', 'Input', { shape: [3] }],
      ['h', 'Dense', { units: 6, activation: 'elu', useBias: false, l1: 0.02 }],
      ['a2', 'Activation', { activation: 'sigmoid' }],
      ['out', 'Dense', { units: 2 }],
    ]),
    loss: 'meanSquaredError', inputs: 3, outUnits: 2,
  },
  {
    title: '2-4-1 swish / linear, mean absolute error',
    doc: chainDoc([
      ['in', 'Input', { shape: [2] }],
      ['h', 'Dense', { units: 4, activation: 'swish' }],
      ['out', 'Dense', { units: 1 }],
    ]),
    loss: 'meanAbsoluteError', inputs: 2, outUnits: 1,
  },
];

async function built(doc: GraphDocument, seed = 7) {
  const result = compile(doc);
  const check = denseChain(result);
  if (!check.chain) throw new Error(check.reason);
  const model = await withSeededMathRandom(seed, () => toTfjsModel(tf, result));
  const weights = await readChainWeights(model, result, check.chain);
  return { result, chain: check.chain as DenseChain, model, weights };
}

const randomInputs = (n: number, per: number, seed: number) => {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n * per }, () => r() * 4 - 2);
};

/** tfjs's own loss (the metric functions are tfjs-layers' loss functions). */
function tfLoss(name: LossName): (y: tfjs.Tensor, p: tfjs.Tensor) => tfjs.Tensor {
  const m = tfjs.metrics as unknown as Record<string, (y: tfjs.Tensor, p: tfjs.Tensor) => tfjs.Tensor>;
  return m[name];
}

describe.each(CASES)('$title', ({ doc, loss, inputs, outUnits }) => {
  test('forward: z and a of every layer equal tfjs (matMul, the model’s layers, model.predict)', async () => {
    const { result, chain, model, weights } = await built(doc);
    const { layerOf } = toNamedTopology(result);
    const xs = randomInputs(5, inputs, 11);
    // Each chain layer's a is the output of the last node before the next Dense.
    const lastNode = chain.layers.map((l, k) => {
      const next = chain.layers[k + 1]?.nodeId;
      const ids = result.order.slice(result.order.indexOf(l.nodeId), next ? result.order.indexOf(next) : undefined);
      return ids[ids.length - 1];
    });
    const outputs = lastNode.map((id) => {
      const layer = model.getLayer(layerOf[id]);
      // A split activation is the layer after the node's own.
      const names = model.layers.map((x) => x.name);
      const after = model.layers[names.indexOf(layer.name) + 1];
      return (after && after.name.startsWith(`${layer.name}_`) ? after : layer).output as tfjs.SymbolicTensor;
    });
    const probe = tf.model({ inputs: model.inputs, outputs });
    for (let e = 0; e < 5; e++) {
      const x = xs.subarray(e * inputs, (e + 1) * inputs);
      const f = forwardPass(chain, weights, x);
      const got = tf.tidy(() => {
        const xt = tf.tensor2d(x, [1, inputs]);
        const as = (probe.predict(xt) as tfjs.Tensor[] | tfjs.Tensor);
        const list = Array.isArray(as) ? as : [as];
        const zs = chain.layers.map((l, k) => {
          const prev = k === 0 ? xt : list[k - 1];
          const w = model.getLayer(layerOf[l.nodeId]).getWeights();
          return w[1] ? tf.add(tf.matMul(prev, w[0]), w[1]) : tf.matMul(prev, w[0]);
        });
        return { a: list.map((t) => t.dataSync()), z: zs.map((t) => t.dataSync()), y: (model.predict(xt) as tfjs.Tensor).dataSync() };
      });
      f.forEach((layer, k) => {
        close(layer.z, got.z[k]);
        close(layer.a, got.a[k]);
      });
      close(f[f.length - 1].a, got.y);
      expect(f[f.length - 1].a).toHaveLength(outUnits);
    }
    probe.layers.length = 0;
    model.dispose();
  });

  test('backward: dL/dW and dL/db equal tf.variableGrads, and W − η·∇ equals one SGD step of trainOnBatch', async () => {
    const { result, chain, model, weights } = await built(doc, 3);
    const { layerOf } = toNamedTopology(result);
    const x = randomInputs(1, inputs, 5);
    const label = loss === 'categoricalCrossentropy' ? 2 : loss === 'binaryCrossentropy' ? 1 : 0.7;
    const target = loss === 'categoricalCrossentropy' ? targetOf(label, outUnits, 'classification') : outUnits === 2 ? [0.7, -0.4] : [label];
    const eta = 0.1;
    const step = backprop(chain, weights, x, target, loss, eta);

    const xt = tf.tensor2d(x, [1, inputs]);
    const yt = tf.tensor2d(target, [1, target.length]);
    const vars = chain.layers.flatMap((l) => model.getLayer(layerOf[l.nodeId]).trainableWeights.map((v) => (v as unknown as { val: tfjs.Variable }).val));
    const { value, grads } = tf.variableGrads(() => {
      const data = tf.mean(tfLoss(loss)(yt, model.apply(xt) as tfjs.Tensor));
      // The kernel penalties, as tfjs's training function adds them to the loss.
      const penalties = (model as unknown as { calculateLosses(): tfjs.Scalar[] }).calculateLosses();
      return (penalties.length ? tf.addN([data, ...penalties]) : data) as tfjs.Scalar;
    }, vars);
    close([step.loss], value.dataSync());
    let v = 0;
    chain.layers.forEach((l, k) => {
      close(step.layers[k].dW, grads[vars[v++].name].dataSync());
      if (l.useBias) close(step.layers[k].dB!, grads[vars[v++].name].dataSync());
      else expect(step.layers[k].dB).toBeNull();
    });
    tf.dispose([value, ...Object.values(grads)]);

    model.compile({ optimizer: tf.train.sgd(eta), loss });
    tf.dispose(await model.trainOnBatch(xt, yt));
    const after = await readChainWeights(model, result, chain);
    chain.layers.forEach((l, k) => {
      close(step.layers[k].updated.kernel, after[k].kernel);
      if (l.useBias) close(step.layers[k].updated.bias!, after[k].bias!);
    });
    tf.dispose([xt, yt]);
    model.dispose();
  });

  test('heatmaps: each neuron over the lattice equals its layer’s output there', async () => {
    if (inputs !== 2) return;
    const { chain, model, weights } = await built(doc, 9);
    const pts = planeLattice([-6, 6], 6, 5);
    const maps = neuronMaps(chain, weights, pts);
    expect(maps.map((m) => m.length)).toEqual([2, ...chain.layers.map((l) => l.units)]);
    close(maps[0][0], Float32Array.from({ length: 25 }, (_, i) => pts[2 * i]));
    const y = tf.tidy(() => (model.predict(tf.tensor2d(pts, [25, 2])) as tfjs.Tensor).dataSync());
    const last = maps[maps.length - 1];
    close(Float32Array.from({ length: 25 * outUnits }, (_, i) => last[i % outUnits][Math.floor(i / outUnits)]), y);
    model.dispose();
  });
});

test('the lattice is the decision boundary’s: row 0 at the top, cell centres, in model units', () => {
  const pts = planeLattice([-6, 6], 6, 2);
  expect(Array.from(pts)).toEqual([-0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5]);
});

test('cross-entropy clips probabilities to [1e-7, 1 − 1e-7] as tfjs does: no gradient beyond the clip', () => {
  const bce = exampleLoss('binaryCrossentropy', [1], [0]);
  expect(bce.loss).toBeCloseTo(-Math.log(1e-7), 4);
  expect(bce.dA).toEqual([0]);
  const cce = exampleLoss('categoricalCrossentropy', [0, 1], [1, 0]);
  expect(cce.loss).toBeCloseTo(-Math.log(1e-7), 4);
});

describe('which graphs the neuron view draws', () => {
  test('the perceptron template: one step unit on two inputs', () => {
    const { chain } = denseChain(compile(perceptron));
    expect(chain?.layers.map((l) => [l.units, l.activations.map((a) => a.name)])).toEqual([[1, ['step']]]);
  });

  test('Dropout and Activation nodes fold into the chain; the Activation belongs to the Dense before it', () => {
    const { chain } = denseChain(compile(chainDoc([
      ['in', 'Input', { shape: [2] }], ['h', 'Dense', { units: 4, activation: 'tanh' }], ['d', 'Dropout', { rate: 0.5 }],
      ['a', 'Activation', { activation: 'relu' }], ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
    ])));
    expect(chain?.layers.map((l) => l.activations.map((x) => x.nodeId))).toEqual([['h', 'a'], ['out']]);
  });

  test.each([
    ['the spiral template (64 units a layer)', spiralMlp, /"hidden1" has 64 units/],
    ['the MNIST MLP (784 inputs)', mlp, /Input of shape \[k\]/],
    ['a convolution', chainDoc([['in', 'Input', { shape: [4, 4, 1] }], ['c', 'Conv2D', { filters: 2, kernelSize: [3, 3] }]]), /Input of shape/],
    ['a BatchNormalization', chainDoc([['in', 'Input', { shape: [3] }], ['h', 'Dense', { units: 2 }], ['b', 'BatchNormalization'], ['o', 'Dense', { units: 1 }]]), /BatchNormalization layer/],
    ['an Activation first', chainDoc([['in', 'Input', { shape: [3] }], ['a', 'Activation', { activation: 'relu' }], ['o', 'Dense', { units: 1 }]]), /before the first Dense/],
  ])('not %s: a one-line reason', (_t, doc, reason) => {
    const check = denseChain(compile(doc));
    expect(check.chain).toBeNull();
    expect(check.reason).toMatch(reason);
  });
});

describe('the engine’s weights and set-weight requests', () => {
  const XOR = chainDoc([
    ['in', 'Input', { shape: [2] }],
    ['h', 'Dense', { units: 4, activation: 'tanh' }],
    ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
  ]);

  test('before a run: the weights the seed draws (model.getWeights() of the same build); no tensor stays', async () => {
    const engine = new TrainingEngine(tf);
    const start = tf.memory().numTensors;
    const w = await engine.weights(XOR, 42);
    expect(tf.memory().numTensors).toBe(start);
    const model = await withSeededMathRandom(42, () => toTfjsModel(tf, compile(XOR)));
    const ref = model.getWeights().map((t) => Array.from(t.dataSync()));
    expect(w!.flatMap((l) => [Array.from(l.kernel), Array.from(l.bias!)])).toEqual(ref);
    model.dispose();
    // An edit sticks until the graph changes; it is reported in kernel[from][to] order.
    const edited = await engine.setWeight(XOR, 42, { nodeId: 'h', from: 1, to: 2, value: 0.5 });
    expect(edited[0].kernel[1 * 4 + 2]).toBe(0.5);
    expect((await engine.weights(XOR, 42))![0].kernel[6]).toBe(0.5);
    await expect(engine.setWeight(XOR, 42, { nodeId: 'out', bias: true, to: 1, value: 1 })).rejects.toThrow('no such weight');
    expect(await engine.weights(chainDoc([['in', 'Input', { shape: [784] }], ['o', 'Dense', { units: 1 }]]), 1)).toBeNull();
    expect(tf.memory().numTensors).toBe(start);
    engine.dispose();
  });

  test('weights set by hand before a run are where the run starts, once: the next run draws from the seed again', async () => {
    const start = tf.memory().numTensors;
    const engine = new TrainingEngine(tf);
    // SGD at 1e-9 for one epoch: the weights a run ends with are the weights it started from, to 1e-6.
    const { settings } = checkTraining({ dataset: 'xor', samples: 40, noise: 0, epochs: 1, batchSize: 40, learningRate: 1e-9, optimizer: 'sgd', validationSplit: 0, seed: 7 });
    const ds = playgroundSet('xor').dataset(settings);
    const plan = checkRun(compile(XOR), settings, ds, ds.train.n).plan!;
    const drawn = (await engine.weights(XOR, 7))!;
    await engine.setWeight(XOR, 7, { nodeId: 'h', from: 0, to: 3, value: 2.5 });
    // Renamed and moved, the graph is the same model: the edit still applies.
    const renamed: GraphDocument = { ...XOR, nodes: XOR.nodes.map((n) => ({ ...n, name: `${n.id}!`, position: { x: 9, y: 9 } })) };
    const edited = (await engine.setWeight(renamed, 7, { nodeId: 'out', bias: true, to: 0, value: -1.25 }))!;
    const ended = async () => { await engine.start({ doc: renamed, settings, dataset: ds, plan, boundaryGrid: 0 }, {}); return (await engine.weights(renamed, 7))!; };
    const close = (a: readonly LayerWeights[], b: readonly LayerWeights[]) => a.forEach((l, k) => {
      Array.from(l.kernel).forEach((v, i) => expect(v).toBeCloseTo(b[k].kernel[i], 6));
      Array.from(l.bias!).forEach((v, i) => expect(v).toBeCloseTo(b[k].bias![i], 6));
    });
    const first = await ended();
    expect(first[0].kernel[3]).toBeCloseTo(2.5, 6);
    expect(first[1].bias![0]).toBeCloseTo(-1.25, 6);
    close(first, edited);
    // The edits were used up by that run: the next one starts from the seed's draw.
    close(await ended(), drawn);
    engine.dispose();
    // A run that ends in an error (here a plan for 3 inputs, which the 2-D points do not fit)
    // leaves the edits for the next Start.
    const again = new TrainingEngine(tf);
    await again.setWeight(renamed, 7, { nodeId: 'h', from: 0, to: 3, value: 2.5 });
    const failed = await again.start({ doc: renamed, settings, dataset: ds, plan: { ...plan, inputShape: [3] }, boundaryGrid: 0 }, {});
    expect(failed.reason).toBe('error');
    await again.start({ doc: renamed, settings, dataset: ds, plan, boundaryGrid: 0 }, {});
    expect((await again.weights(renamed, 7))![0].kernel[3]).toBeCloseTo(2.5, 6);
    again.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  test('after a run: the trained model’s weights, snapshots at epoch ends, set-weight edits the model; numTensors back to its start', async () => {
    const start = tf.memory().numTensors;
    const engine = new TrainingEngine(tf);
    const { settings } = checkTraining({ dataset: 'xor', samples: 120, noise: 0, epochs: 3, batchSize: 16, learningRate: 0.1, optimizer: 'sgd', validationSplit: 0 });
    const ds = playgroundSet('xor').dataset(settings);
    const result = compile(XOR);
    const plan = checkRun(result, settings, ds, ds.train.n).plan!;
    const snapshots: number[][] = [];
    await engine.start({ doc: XOR, settings, dataset: ds, plan, boundaryGrid: 0 }, { onWeights: (w) => snapshots.push(Array.from(w[0].kernel)) });
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    const trained = (await engine.weights(XOR, settings.seed))!;
    const initial = (await new TrainingEngine(tf).weights(XOR, settings.seed))!;
    expect(Array.from(trained[0].kernel)).not.toEqual(Array.from(initial[0].kernel));
    expect(snapshots[snapshots.length - 1]).toEqual(Array.from(trained[0].kernel));
    const during = tf.memory().numTensors;
    const edited = await engine.setWeight(XOR, settings.seed, { nodeId: 'out', bias: true, to: 0, value: -3 });
    expect(edited[1].bias![0]).toBe(-3);
    expect(tf.memory().numTensors).toBe(during);
    // The edit is in the model itself: its prediction at (0, 0) is σ(W₂·tanh(W₁·0 + b₁) − 3).
    const p = await engine.predict(new Float32Array([0, 0]), 1);
    const f = forwardPass(denseChain(result).chain!, edited, [0, 0]);
    expect(p[1]).toBeCloseTo(f[1].a[0], 5);
    engine.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
