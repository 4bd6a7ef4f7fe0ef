/** The graph and the data set checked together before a run. */
import { checkTraining, compile, type GraphDocument } from '@/graph-compiler';
import type { DatasetInfo } from '@/lib/datasets/types';
import { checkRun } from '@/lib/training/check';
import { autoLoss, outputInfo, targetEncoding } from '@/lib/training/loss';
import { estimateMemory, MEMORY_BUDGET_BYTES } from '@/lib/training/memory';
import { spiralMlp } from '@/lib/templates/basic';
import { mnistConvnet } from '@/lib/templates/convnets';

type NodeSpec = [string, string, Record<string, unknown>?];
const chain = (nodes: NodeSpec[]): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
  edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i][0], target: id })),
});

const MNIST: DatasetInfo = { id: 'mnist', title: 'MNIST digits', task: 'classification', featureShape: [28, 28, 1], classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
const SPIRAL: DatasetInfo = { id: 'spiral', title: 'the spiral points', task: 'classification', featureShape: [2], classNames: ['0', '1'] };
const HOUSES: DatasetInfo = { id: 'csv', title: '"houses.csv"', task: 'regression', featureShape: [3], classNames: [] };

const settings = (block: Record<string, unknown> = {}) => checkTraining(block).settings;
const codes = (doc: GraphDocument, info: DatasetInfo | null, block: Record<string, unknown> = {}, n?: number) =>
  checkRun(compile(doc), settings(block), info, n).diagnostics.map((d) => d.code);

describe('checkRun', () => {
  it('passes the MNIST convnet on MNIST and plans categorical cross-entropy with one-hot targets', () => {
    const out = checkRun(compile(mnistConvnet), settings(mnistConvnet.training), MNIST, 8000);
    expect(out.diagnostics).toEqual([]);
    expect(out.plan).toMatchObject({ loss: 'categoricalCrossentropy', encoding: 'onehot', inputShape: [28, 28, 1], trainExamples: 7200, validationExamples: 800 });
  });

  it('passes a sigmoid unit on a 2-D set with binary cross-entropy', () => {
    const out = checkRun(compile(spiralMlp), settings(spiralMlp.training), SPIRAL, 700);
    expect(out.diagnostics).toEqual([]);
    expect(out.plan).toMatchObject({ loss: 'binaryCrossentropy', encoding: 'binary' });
  });

  it('names the Input and the shape to set when the data does not fit', () => {
    const out = checkRun(compile(mnistConvnet), settings(), SPIRAL);
    const d = out.diagnostics.find((x) => x.code === 'data-input-shape')!;
    expect(d).toMatchObject({ severity: 'error', nodeId: 'input', param: 'shape' });
    expect(d.message).toBe('Input "input" has shape [28, 28, 1] (784 values), but each example of the spiral points is [2] (2 values): set the Input\'s shape to [2].');
    expect(out.plan).toBeNull();
  });

  it('accepts a flat Input of the same size (MNIST into an MLP on [784])', () => {
    const mlp = chain([['in', 'Input', { shape: [784] }], ['out', 'Dense', { units: 10, activation: 'softmax' }]]);
    expect(codes(mlp, MNIST)).toEqual([]);
  });

  it('compares the output units with the classes', () => {
    const five = chain([['in', 'Input', { shape: [2] }], ['out', 'Dense', { units: 5, activation: 'softmax' }]]);
    const d = checkRun(compile(five), settings(), SPIRAL).diagnostics[0];
    expect(d.code).toBe('data-output-units');
    expect(d.message).toBe('Dense "out" has 5 units, but the spiral points has 2 classes: give it 2 units (or 1 unit with sigmoid), one score per class.');
    const one = chain([['in', 'Input', { shape: [28, 28, 1] }], ['f', 'Flatten'], ['out', 'Dense', { units: 1, activation: 'sigmoid' }]]);
    expect(codes(one, MNIST)).toEqual(['data-output-units']);
    const image = chain([['in', 'Input', { shape: [28, 28, 1] }], ['c', 'Conv2D', { filters: 10, kernelSize: 3 }]]);
    expect(codes(image, MNIST)).toContain('data-output-shape');
  });

  it('checks the loss against the last activation, through Dropout', () => {
    const linear = chain([['in', 'Input', { shape: [2] }], ['out', 'Dense', { units: 2 }]]);
    const d = checkRun(compile(linear), settings(), SPIRAL).diagnostics[0];
    expect(d).toMatchObject({ code: 'loss-activation', nodeId: 'out', param: 'activation' });
    expect(d.message).toMatch(/ends with linear, whose outputs are not in \[0, 1\]: set its activation to softmax/);
    const dropped = chain([['in', 'Input', { shape: [2] }], ['d', 'Dense', { units: 2, activation: 'softmax' }], ['drop', 'Dropout', { rate: 0.1 }]]);
    expect(codes(dropped, SPIRAL)).toEqual([]);
    const sigmoidPair = chain([['in', 'Input', { shape: [2] }], ['out', 'Dense', { units: 2, activation: 'sigmoid' }]]);
    expect(codes(sigmoidPair, SPIRAL)).toEqual(['loss-activation-mismatch']);
    expect(codes(sigmoidPair, SPIRAL, { loss: 'binaryCrossentropy' })).toEqual([]);
    expect(codes(sigmoidPair, SPIRAL, { loss: 'meanSquaredError' })).toEqual(['loss-classification-mse']);
  });

  it('checks regression set-ups', () => {
    const reg = chain([['in', 'Input', { shape: [3] }], ['h', 'Dense', { units: 8, activation: 'relu' }], ['out', 'Dense', { units: 1 }]]);
    const out = checkRun(compile(reg), settings({ dataset: 'csv', task: 'regression' }), HOUSES);
    expect(out.diagnostics).toEqual([]);
    expect(out.plan).toMatchObject({ loss: 'meanSquaredError', encoding: 'value' });
    expect(codes(reg, HOUSES, { loss: 'categoricalCrossentropy' })).toEqual(['loss-task']);
    const sig = chain([['in', 'Input', { shape: [3] }], ['out', 'Dense', { units: 1, activation: 'sigmoid' }]]);
    expect(codes(sig, HOUSES)).toEqual(['regression-activation']);
  });

  it('asks for a file when an upload is missing', () => {
    expect(codes(spiralMlp, null, { dataset: 'csv' })).toContain('data-missing');
  });

  it('refuses early stopping on a validation metric without validation data', () => {
    expect(codes(spiralMlp, SPIRAL, { validationSplit: 0, earlyStopping: { enabled: true } })).toEqual(['early-stopping-validation']);
    expect(codes(spiralMlp, SPIRAL, { validationSplit: 0, earlyStopping: { enabled: true, monitor: 'loss' } })).toEqual([]);
  });

  it('checks the split sizes and the batch size', () => {
    expect(codes(spiralMlp, SPIRAL, { validationSplit: 0.5 }, 1)).toEqual(['split-empty']);
    expect(codes(spiralMlp, SPIRAL, { batchSize: 1000 }, 100)).toEqual(['batch-size-large']);
  });

  it('reports graph errors and several inputs or outputs', () => {
    const broken = chain([['in', 'Input', { shape: [2] }], ['out', 'Dense', {}]]);
    expect(codes(broken, SPIRAL)).toContain('run-graph-errors');
    const two: GraphDocument = { ...chain([['in', 'Input', { shape: [2] }], ['a', 'Dense', { units: 2, activation: 'softmax' }]]) };
    two.nodes.push({ id: 'b', type: 'Dense', params: { units: 2, activation: 'softmax' } });
    two.edges.push({ source: 'in', target: 'b' });
    expect(codes(two, SPIRAL)).toEqual(['run-io']);
  });

  it('warns above the memory budget', () => {
    const big = chain([['in', 'Input', { shape: [4096] }], ['h', 'Dense', { units: 16384 }], ['out', 'Dense', { units: 2, activation: 'softmax' }]]);
    const info: DatasetInfo = { ...SPIRAL, featureShape: [4096] };
    const out = checkRun(compile(big), settings(), info);
    expect(out.diagnostics.map((d) => d.code)).toEqual(['memory-budget']);
    expect(out.plan).not.toBeNull();
  });
});

describe('loss and memory helpers', () => {
  it('picks the loss from the task and the output', () => {
    expect(autoLoss('classification', { units: 10 })).toBe('categoricalCrossentropy');
    expect(autoLoss('classification', { units: 1 })).toBe('binaryCrossentropy');
    expect(autoLoss('regression', { units: 1 })).toBe('meanSquaredError');
    expect(targetEncoding('sparseCategoricalCrossentropy', 'classification', 10)).toBe('index');
    expect(targetEncoding('meanSquaredError', 'classification', 1)).toBe('binary');
  });

  it('finds the last activation through Dropout', () => {
    const out = outputInfo(compile(mnistConvnet))!;
    expect(out).toMatchObject({ nodeId: 'output', units: 10, activation: 'softmax', shape: [10] });
  });

  it('estimates memory: weights, optimizer slots, gradients and a batch of activations', () => {
    const totals = compile(mnistConvnet).totals;
    const m = estimateMemory(totals, 'adam', 32);
    expect(m.weights).toBe(34_826 * 4);
    expect(m.optimizer).toBe(2 * m.weights);
    expect(m.gradients).toBe(m.weights);
    expect(m.total).toBeGreaterThan(m.weights * 4);
    expect(m.total).toBeLessThan(MEMORY_BUDGET_BYTES);
    expect(estimateMemory(totals, 'sgd', 32).optimizer).toBe(0);
  });
});
