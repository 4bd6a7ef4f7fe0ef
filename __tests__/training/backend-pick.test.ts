/**
 * The "auto" backend choice: the pick from measured speeds, the key a measurement is
 * remembered under, the panel's sentence; and, on tfjs's CPU backend (the only one in Node),
 * the engine's measuring: a positive rate, no tensor left behind, and a run's weights the
 * same with or without a measurement before it.
 */
import * as tfjs from '@tensorflow/tfjs';
import { checkTraining, compile, type GraphDocument, type TF } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import { mnistConvnet } from '@/lib/templates/convnets';
import { modelLabel, pickBackend, pickKey, pickReason, type BackendReport } from '@/lib/training/backend-pick';
import { checkRun } from '@/lib/training/check';
import { TrainingEngine } from '@/lib/training/engine';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

type NodeSpec = [string, string, Record<string, unknown>?];
const chainDoc = (nodes: NodeSpec[], extra: Partial<GraphDocument> = {}): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
  edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i][0], target: id })),
  ...extra,
});

const CIRCLE_NET: NodeSpec[] = [
  ['in', 'Input', { shape: [2] }],
  ['h1', 'Dense', { units: 8, activation: 'tanh' }],
  ['h2', 'Dense', { units: 8, activation: 'tanh' }],
  ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
];

describe('pickBackend', () => {
  test('the faster measured backend; WebGL on a tie or with nothing measured', () => {
    expect(pickBackend({ cpu: 4200, webgl: 1000 })).toBe('cpu');
    expect(pickBackend({ cpu: 20, webgl: 320 })).toBe('webgl');
    expect(pickBackend({ cpu: 500, webgl: 500 })).toBe('webgl');
    expect(pickBackend({})).toBe('webgl');
    expect(pickBackend({ cpu: 10 })).toBe('cpu');
    expect(pickBackend({ cpu: Number.NaN, webgl: 3 })).toBe('webgl');
  });
});

describe('pickKey', () => {
  test('the same for the same architecture and batch size, whatever the positions and names', () => {
    const a = compile(chainDoc(CIRCLE_NET, { name: 'mine' }));
    const moved = chainDoc(CIRCLE_NET, { name: 'other' });
    moved.nodes = moved.nodes.map((n, i) => ({ ...n, position: { x: 100 * i, y: 7 }, label: `layer ${i}` }));
    expect(pickKey(compile(moved), 10)).toBe(pickKey(a, 10));
  });

  test('differs with the batch size, a layer width or an activation', () => {
    const a = compile(chainDoc(CIRCLE_NET));
    const wider = CIRCLE_NET.map(([id, type, p]): NodeSpec => [id, type, id === 'h2' ? { ...p, units: 16 } : p]);
    const relu = CIRCLE_NET.map(([id, type, p]): NodeSpec => [id, type, id === 'h1' ? { ...p, activation: 'relu' } : p]);
    expect(pickKey(a, 32)).not.toBe(pickKey(a, 10));
    expect(pickKey(compile(chainDoc(wider)), 10)).not.toBe(pickKey(a, 10));
    expect(pickKey(compile(chainDoc(relu)), 10)).not.toBe(pickKey(a, 10));
  });
});

describe('modelLabel and pickReason', () => {
  test('a dense chain by its widths, a graph with convolutions as a convnet', () => {
    expect(modelLabel(compile(chainDoc(CIRCLE_NET)))).toBe('2-8-8-1 network');
    expect(modelLabel(compile(mnistConvnet))).toBe('convnet');
  });

  test('says which is faster, by how much, and why', () => {
    const base: Omit<BackendReport, 'speeds' | 'picked'> = { how: 'measured', model: '2-8-8-1 network', batchSize: 10 };
    expect(pickReason({ ...base, picked: 'cpu', speeds: { cpu: 4200, webgl: 1000 } })).toBe(
      'CPU is 4.2× faster than WebGL for this 2-8-8-1 network: small matrices cost more to send to the GPU and read back than to multiply.',
    );
    expect(pickReason({ ...base, model: 'convnet', picked: 'webgl', speeds: { cpu: 20, webgl: 320 } })).toMatch(/^WebGL is 16× faster than CPU for this convnet: /);
    expect(pickReason({ ...base, how: 'forced', picked: 'webgl', speeds: { cpu: 4200, webgl: 1000 } })).toMatch(/^CPU is 4\.2× faster .*\. WebGL was chosen in the run bar\.$/);
    expect(pickReason({ ...base, how: 'forced', picked: 'cpu', speeds: {} })).toMatch(/^CPU was chosen in the run bar, so the other backend was not measured/);
    expect(pickReason({ ...base, how: 'only', picked: 'cpu', speeds: {} })).toMatch(/Only the CPU is available here/);
  });
});

describe('the engine measures a backend on the run’s own model', () => {
  const doc = chainDoc(CIRCLE_NET);
  const { settings } = checkTraining({ dataset: 'circle', samples: 200, noise: 0, trainRatio: 0.5, epochs: 2, batchSize: 10, learningRate: 0.03, optimizer: 'sgd', validationSplit: 0, seed: 7 });
  const dataset = playgroundSet('circle').dataset(settings);
  const plan = checkRun(compile(doc), settings, dataset, dataset.train.n).plan!;
  const req = { doc, settings, dataset, plan, boundaryGrid: 0 };

  async function trainedWeights(measureFirst: boolean): Promise<number[][]> {
    const engine = new TrainingEngine(tf);
    if (measureFirst) await engine.measureBackends(req, ['cpu']);
    const end = await engine.start({ ...req, backend: 'cpu' }, {});
    expect(end.reason).toBe('completed');
    const w = (await engine.weights(doc, settings.seed))!;
    engine.dispose();
    return w.map((l) => [...Array.from(l.kernel), ...Array.from(l.bias ?? [])]);
  }

  test('a positive examples/s, and no tensor left behind', async () => {
    const start = tf.memory().numTensors;
    const engine = new TrainingEngine(tf);
    const speeds = await engine.measureBackends(req, ['cpu']);
    expect(Object.keys(speeds)).toEqual(['cpu']);
    expect(speeds.cpu).toBeGreaterThan(0);
    expect(Number.isFinite(speeds.cpu)).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
    engine.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  test('a convnet on the CPU is measured too (on a few of its examples), leaving nothing behind', async () => {
    const { settings: s } = checkTraining({ ...(mnistConvnet.training as object), dataset: 'circle', batchSize: 32, validationSplit: 0 });
    // MNIST-shaped examples without the asset: 64 random 28×28 images of two classes.
    const n = 64;
    const x = new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000);
    const mnistLike = { ...dataset, id: 'mnist' as const, kind: 'images' as const, featureShape: [28, 28, 1], classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], train: { n, x, y: new Float32Array(n).map((_, i) => i % 10) } };
    const result = compile(mnistConvnet);
    const check = checkRun(result, s, mnistLike as never, n);
    expect(check.plan).toBeTruthy();
    const start = tf.memory().numTensors;
    const engine = new TrainingEngine(tf);
    const speeds = await engine.measureBackends({ doc: mnistConvnet, settings: s, dataset: mnistLike as never, plan: check.plan!, boundaryGrid: 0 }, ['cpu']);
    expect(speeds.cpu).toBeGreaterThan(0);
    engine.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  test('a run trains to the same weights whether or not the backends were measured before it', async () => {
    const plain = await trainedWeights(false);
    const measured = await trainedWeights(true);
    expect(measured).toEqual(plain);
  });
});
