/**
 * The PyTorch export, judged by PyTorch: for every template, every fixture, every layer type's
 * registry example (and variants that stress "same" padding with strides, transposed
 * convolutions, bilinear resizing and broadcasting) and random graphs, the exported Model built in
 * torch has the compiler's parameter count (trainable = its parameters, non-trainable = its
 * BatchNorm buffers) and output shapes; with the tfjs model's weights (through the `.npz` the
 * export writes) its output equals tfjs's `predict` to 1e-4 on random inputs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LAYERS, type GraphDocument, type Shape } from '@/graph-compiler';
import { TEMPLATES } from '@/lib/templates';
import { describeWithTorch } from '../datasets/python-reference';
import { randomGraphs } from './random-graphs';
import { judge, maxDifference, prepare, workDir, type Prepared, type TorchVerdict } from './torch-judge';

tf.env().set('PROD', true);

/** Above this many weights a case is checked for counts and shapes only: tfjs initialises large models slowly inside jest. */
const COMPARE_LIMIT = 1_500_000;
const FIXTURES = ['custom-activations', 'lenet5', 'mnist-convnet', 'resnet-block', 'resnet50', 'tfjs-mnist-conv', 'vgg16'];

/** A one-layer graph: one Input per input shape, the layer. */
function layerDoc(type: string, params: Record<string, unknown>, inputs: Shape[]): GraphDocument {
  if (type === 'Input') return { format: 'layerboard.graph', version: 1, nodes: [{ id: 'x', type, params }], edges: [] };
  return {
    format: 'layerboard.graph', version: 1,
    nodes: [...inputs.map((shape, i) => ({ id: `in${i}`, type: 'Input', params: { shape } })), { id: 'layer', type, params }],
    edges: inputs.map((_s, i) => ({ source: `in${i}`, target: 'layer' })),
  };
}

/** Params that the registry examples leave out: TensorFlow's asymmetric "same" padding, short kernels, resizing, broadcasting. */
const VARIANTS: [string, Record<string, unknown>, Shape[]][] = [
  ['Conv2D', { filters: 3, kernelSize: [3, 2], strides: [2, 3], padding: 'same', activation: 'softmax' }, [[8, 7, 2]]],
  ['Conv2D', { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false }, [[7, 6, 3]]],
  ['Conv2D', { filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'step' }, [[6, 6, 1]]],
  ['Conv2DTranspose', { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [[3, 4, 2]]],
  ['Conv2DTranspose', { filters: 2, kernelSize: [1, 2], strides: 3, padding: 'valid' }, [[3, 2, 1]]],
  ['Conv2DTranspose', { filters: 1, kernelSize: 2, strides: 3, padding: 'same', useBias: false }, [[2, 3, 2]]],
  ['Conv2DTranspose', { filters: 2, kernelSize: 4, strides: [2, 1], padding: 'same', activation: 'gelu' }, [[3, 3, 1]]],
  ['DepthwiseConv2D', { kernelSize: [2, 3], strides: 2, padding: 'same', depthMultiplier: 3 }, [[7, 8, 2]]],
  ['SeparableConv2D', { filters: 3, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'swish' }, [[6, 5, 2]]],
  ['MaxPooling2D', { poolSize: 3, strides: 2, padding: 'same' }, [[6, 7, 2]]],
  ['AveragePooling2D', { poolSize: [3, 2], strides: [2, 3], padding: 'same' }, [[7, 8, 2]]],
  ['AveragePooling2D', { poolSize: 2, strides: 1 }, [[4, 5, 3]]],
  ['UpSampling2D', { size: [2, 3], interpolation: 'nearest' }, [[3, 2, 2]]],
  ['UpSampling2D', { size: 3, interpolation: 'bilinear' }, [[2, 4, 1]]],
  ['Multiply', {}, [[4, 4, 3], [3]]],
  ['Multiply', {}, [[4, 5, 3], [5, 3], [1, 1, 3]]],
  ['Concatenate', { axis: 1 }, [[2, 3, 2], [4, 3, 2]]],
  ['Concatenate', { axis: -2 }, [[2, 3, 2], [2, 1, 2]]],
  ['Dense', { units: 3, activation: 'softmax' }, [[2, 3, 4]]],
  ['Dense', { units: 2, activation: 'leakyRelu', useBias: false }, [[5, 4]]],
  ['BatchNormalization', {}, [[6]]],
  ['BatchNormalization', { epsilon: 0.01 }, [[3, 4]]],
  ['LayerNormalization', { scale: false }, [[3, 3, 4]]],
  ['Flatten', {}, [[2, 3, 4]]],
  ['Reshape', { targetShape: [2, 3, 2] }, [[3, 2, 2]]],
  ['Reshape', { targetShape: [-1, 4] }, [[2, 2, 3]]],
  ['Embedding', { inputDim: 7, outputDim: 3 }, [[2, 3]]],
  ['LSTM', { units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid', activation: 'relu', useBias: false }, [[4, 2]]],
  ['GRU', { units: 4, activation: 'softsign', recurrentInitializer: 'glorotUniform' }, [[3, 5]]],
  ['Conv1D', { filters: 2, kernelSize: 4, strides: 3, padding: 'same', dilationRate: 1, activation: 'elu' }, [[10, 3]]],
  ['Conv1D', { filters: 3, kernelSize: 2, dilationRate: 2, useBias: false }, [[7, 2]]],
  ['Maxout', { units: 2, pieces: 3 }, [[3, 3, 4]]],
  ['Activation', { activation: 'softmax' }, [[3, 2, 4]]],
  ['Activation', { activation: 'selu' }, [[5]]],
];

interface Case { name: string; doc: GraphDocument }

const cases: Case[] = [
  ...TEMPLATES.filter((t) => t.doc.nodes.length > 0).map((t) => ({ name: `template ${t.id}`, doc: t.doc })),
  ...FIXTURES.map((f) => ({ name: `fixture ${f}`, doc: JSON.parse(readFileSync(path.join(__dirname, '../fixtures', `${f}.json`), 'utf8')) as GraphDocument })),
  ...LAYERS.map((spec) => ({ name: `layer ${spec.type}`, doc: layerDoc(spec.type, spec.example.params, spec.example.inputs) })),
  ...VARIANTS.map(([type, params, inputs], i) => ({ name: `variant ${i + 1} ${type} ${JSON.stringify(params)}`, doc: layerDoc(type, params, inputs) })),
  ...randomGraphs(16, 20261202).map((doc, i) => ({ name: `random graph ${i + 1} (${doc.nodes.map((n) => n.type).join(' ')})`, doc })),
];

describeWithTorch('PyTorch export judged by torch', () => {
  const dir = workDir('pytorch');
  const prepared = new Map<string, Prepared>();
  const verdicts = new Map<string, TorchVerdict>();

  beforeAll(async () => {
    for (const c of cases) {
      prepared.set(c.name, await prepare(dir, c.name, c.doc, (r) => r.totals.totalParams <= COMPARE_LIMIT, 1 + prepared.size));
    }
    const list = [...prepared.values()];
    judge(list.map((p) => p.case)).forEach((v, i) => verdicts.set(list[i].name, v));
  }, 900_000);

  test.each(cases.map((c) => c.name))('%s', (name) => {
    const p = prepared.get(name)!;
    const v = verdicts.get(name)!;
    expect(v.error).toBeUndefined();
    expect({ trainable: v.trainable, nonTrainable: v.buffers }).toEqual({
      trainable: p.result.totals.trainableParams, nonTrainable: p.result.totals.nonTrainableParams,
    });
    expect(v.outputShapes).toEqual(p.result.outputs.map((id) => p.result.nodes[id].outputShape));
    if (p.result.totals.totalParams <= COMPARE_LIMIT) {
      expect(p.expected).toBeDefined();
      expect(maxDifference(p.expected!, v.outputs!)).toBeLessThanOrEqual(1e-4);
    }
  });
});
