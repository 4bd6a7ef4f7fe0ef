/**
 * The feature maps' `activations` request against tfjs itself (CPU backend): for the MNIST
 * convnet's convolutions, poolings and its dense output, on a real test digit, the engine's
 * answer equals tf.model({ inputs, outputs: layer.output }).predict of a model built
 * independently from the same graph and seed, and after a run, of the model the run saved; no
 * tensor is left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tfjs from '@tensorflow/tfjs';
import { compile, tfjsName, toTfjsModel, type GraphDocument, type TF } from '@/graph-compiler';
import { decodeMnist } from '@/graph-compiler/datasets/mnist';
import { withSeededMathRandom } from '@/lib/datasets/rng';
import { outputLayerName } from '@/lib/training/activations';
import { graphKey } from '@/lib/training/graph-key';
import { TrainingEngine } from '@/lib/training/engine';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;
const ROOT = path.join(__dirname, '..', '..');
const convnet = JSON.parse(fs.readFileSync(path.join(ROOT, '__tests__/fixtures/mnist-convnet.json'), 'utf8')) as GraphDocument;
const mnist = decodeMnist(new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'public/data/mnist-10k.bin.gz')))));

/** Test digit `i` in model units (pixels / 255). */
const digit = (i: number) => Float32Array.from(mnist.test.x.subarray(i * 784, (i + 1) * 784), (v) => v * mnist.xScale);

onCpuBackend(tf);

/** The reference: tfjs's own intermediate output of the layer named after the node. */
async function reference(doc: GraphDocument, seed: number, layerName: string, x: Float32Array): Promise<{ shape: number[]; values: Float32Array }> {
  const model = await withSeededMathRandom(seed, () => toTfjsModel(tf, compile(doc)));
  const layer = model.getLayer(layerName);
  const sub = tf.model({ inputs: model.inputs, outputs: layer.output as tfjs.SymbolicTensor });
  const input = tf.tensor(x, [1, 28, 28, 1]);
  const y = sub.predict(input) as tfjs.Tensor;
  const out = { shape: y.shape.slice(1), values: Float32Array.from(await y.data()) };
  tf.dispose([input, y]);
  model.dispose();
  return out;
}

describe('activations: a node’s output for one example', () => {
  it.each([
    ['conv1', [26, 26, 32]],
    ['pool1', [13, 13, 32]],
    ['conv2', [11, 11, 64]],
    ['pool2', [5, 5, 64]],
    ['output', [10]],
  ])('%s equals tfjs’s own intermediate output on a real digit (untrained, seed 7)', async (id, shape) => {
    const engine = new TrainingEngine(tf);
    const x = digit(3);
    const start = tf.memory().numTensors;
    const got = await engine.activations(convnet, 7, id, x);
    expect(tf.memory().numTensors).toBe(start);
    expect(got.trained).toBe(false);
    expect(got.shape).toEqual(shape);
    const want = await reference(convnet, 7, tfjsName(id), x);
    expect(want.shape).toEqual(shape);
    expect(got.values.length).toBe(want.values.length);
    let worst = 0;
    for (let i = 0; i < want.values.length; i++) worst = Math.max(worst, Math.abs(got.values[i] - want.values[i]));
    expect(worst).toBeLessThan(1e-6);
    // Not a constant map: the digit shows through (relu leaves some positive values).
    expect(Math.max(...got.values)).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(start);
  }, 30_000);

  it('depends on the seed and on the example', async () => {
    const engine = new TrainingEngine(tf);
    const a = await engine.activations(convnet, 7, 'conv1', digit(3));
    const b = await engine.activations(convnet, 8, 'conv1', digit(3));
    const c = await engine.activations(convnet, 7, 'conv1', digit(4));
    expect(a.values).not.toEqual(b.values);
    expect(a.values).not.toEqual(c.values);
  });

  it('reads a split-off activation’s layer, so that the node’s output is after its activation', () => {
    const doc: GraphDocument = {
      format: 'layerboard.graph', version: 1,
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [4] } },
        { id: 'h', type: 'Dense', params: { units: 3, activation: 'leakyRelu', alpha: 0.2 } },
      ],
      edges: [{ source: 'x', target: 'h' }],
    };
    const name = outputLayerName(compile(doc), 'h');
    expect(name.startsWith(`${tfjsName('h')}_`)).toBe(true);
    expect(outputLayerName(compile(convnet), 'conv1')).toBe(tfjsName('conv1'));
  });

  it('keys a graph by its layers, not by where they sit', () => {
    const moved = { ...convnet, nodes: convnet.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })) };
    expect(graphKey(compile(moved))).toBe(graphKey(compile(convnet)));
    const changed = { ...convnet, nodes: convnet.nodes.map((n) => (n.id === 'conv1' ? { ...n, params: { ...n.params, filters: 8 } } : n)) };
    expect(graphKey(compile(changed))).not.toBe(graphKey(compile(convnet)));
  });

  it('after a run: the trained weights, equal to tfjs’s own output of the saved model; numTensors back after each request', async () => {
    const { checkTraining } = await import('@/graph-compiler');
    const { checkRun } = await import('@/lib/training/check');
    const small: GraphDocument = {
      format: 'layerboard.graph', version: 1,
      nodes: [
        { id: 'image', type: 'Input', params: { shape: [28, 28, 1] } },
        { id: 'conv', type: 'Conv2D', params: { filters: 4, kernelSize: 3, activation: 'relu' } },
        { id: 'pool', type: 'MaxPooling2D', params: { poolSize: 2 } },
        { id: 'flat', type: 'Flatten', params: {} },
        { id: 'out', type: 'Dense', params: { units: 10, activation: 'softmax' } },
      ],
      edges: [{ source: 'image', target: 'conv' }, { source: 'conv', target: 'pool' }, { source: 'pool', target: 'flat' }, { source: 'flat', target: 'out' }],
    };
    const n = 256;
    const ds = { ...mnist, train: { x: mnist.train.x.subarray(0, n * 784), y: mnist.train.y.subarray(0, n), n } };
    const { settings } = checkTraining({ dataset: 'mnist', epochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'adam', validationSplit: 0, seed: 3 });
    const plan = checkRun(compile(small), settings, ds, n).plan!;
    const start = tf.memory().numTensors;
    const engine = new TrainingEngine(tf);
    await engine.start({ doc: small, settings, dataset: ds, plan, boundaryGrid: 0 }, {});
    const files = await engine.exportFiles('model.weights.bin');
    const json = JSON.parse(files.json) as { modelTopology: object; weightsManifest: { weights: tfjs.io.WeightsManifestEntry[] }[] };
    const saved = await tf.loadLayersModel(tf.io.fromMemory(json.modelTopology, json.weightsManifest.flatMap((g) => g.weights), files.weights));
    const during = tf.memory().numTensors;
    const x = digit(11);
    for (const id of ['conv', 'pool']) {
      const got = await engine.activations(small, settings.seed, id, x);
      expect(tf.memory().numTensors).toBe(during);
      expect(got.trained).toBe(true);
      const sub = tf.model({ inputs: saved.inputs, outputs: saved.getLayer(tfjsName(id)).output as tfjs.SymbolicTensor });
      const input = tf.tensor(x, [1, 28, 28, 1]);
      const y = sub.predict(input) as tfjs.Tensor;
      const want = await y.data();
      tf.dispose([input, y]);
      expect(got.shape).toEqual(y.shape.slice(1));
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.values[i] - want[i]));
      expect(worst).toBeLessThan(1e-6);
      // Not the untrained maps: training moved the weights.
      const untrained = await new TrainingEngine(tf).activations(small, settings.seed, id, x);
      expect(untrained.trained).toBe(false);
      expect(Array.from(untrained.values)).not.toEqual(Array.from(got.values));
    }
    expect(tf.memory().numTensors).toBe(during);
    saved.dispose();
    engine.dispose();
    expect(tf.memory().numTensors).toBe(start);
  }, 60_000);

  it('says why a wrong-sized example cannot go through', async () => {
    const engine = new TrainingEngine(tf);
    const start = tf.memory().numTensors;
    await expect(engine.activations(convnet, 7, 'conv1', new Float32Array(10))).rejects.toThrow('10 values');
    expect(tf.memory().numTensors).toBe(start);
  });
});
