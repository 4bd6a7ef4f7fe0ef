/**
 * One loss rule: for every template and every data set it can train on, the Keras export
 * compiles with the loss and metrics the browser's run check resolves; the two combinations
 * that drifted before are pinned; a combination the browser refuses is exported with the
 * browser's loss and the browser's reason, never with a different loss.
 */
import { checkTraining, compile, toKeras, type GraphDocument, type TrainingBlock } from '@/graph-compiler';
import { DATASET_SPECS, datasetSpec } from '@/graph-compiler/datasets';
import { parseCsv } from '@/graph-compiler/datasets/csv-table';
import { KERAS_LOSSES, KERAS_METRICS, trainingMetrics } from '@/graph-compiler/datasets/loss';
import { TEMPLATES } from '@/lib/templates';
import { checkRun } from '@/lib/training/check';

const csvTable = (classes: boolean) => parseCsv(['a,b,label', ...Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${classes ? `c${i % 2}` : i * 0.5}`)].join('\n'));

/** The static info of a data set as the panel has it once any upload is chosen. */
function infoFor(doc: GraphDocument, block: TrainingBlock) {
  const { settings } = checkTraining(block);
  const result = compile(doc);
  const inputShape = result.inputs.length === 1 ? result.nodes[result.inputs[0]].outputShape : null;
  const upload = settings.dataset === 'csv'
    ? { kind: 'csv' as const, fileName: 'data.csv', table: csvTable(settings.task === 'classification') }
    : { kind: 'images' as const, paths: ['cat/1.png', 'cat/2.png', 'dog/1.png'], label: '3 files' };
  return { settings, result, outcome: datasetSpec(settings.dataset).info({ settings, upload, inputShape }) };
}

const exported = (py: string) => ({
  loss: /loss="([a-z_]+)"/.exec(py)![1],
  metrics: /metrics=\[(.*)\]/.exec(py)![1],
});

const cases = TEMPLATES.filter((t) => compile(t.doc).ok).flatMap((t) =>
  DATASET_SPECS.flatMap((d) => (d.id === 'csv' ? ['classification', 'regression'] : ['classification']).map((task) => [t.id, d.id, task] as const)));

test.each(cases)('%s on %s (%s): the export trains with the browser\'s loss and metrics', (templateId, dataset, task) => {
  const template = TEMPLATES.find((t) => t.id === templateId)!;
  const block: TrainingBlock = { ...(template.doc.training as TrainingBlock | undefined), dataset: dataset as TrainingBlock['dataset'], task: task as TrainingBlock['task'] };
  const doc = { ...template.doc, training: block as Record<string, unknown> };
  const { settings, result, outcome } = infoFor(doc, block);
  const check = checkRun(result, settings, outcome.info, 100);
  const py = toKeras(doc, result);
  const { loss, metrics } = exported(py);
  expect(loss).toBe(KERAS_LOSSES[check.loss!]);
  expect(metrics).toBe(trainingMetrics(check.plan?.task ?? settings.task).map((m) => `"${KERAS_METRICS[m]}"`).join(', '));
  const refusal = check.diagnostics.find((d) => d.code === 'loss-activation' || d.code === 'loss-task');
  if (refusal) expect(py.replace(/\n# /g, ' ')).toContain(refusal.message);
  else expect(py).not.toContain('Layerboard does not train this graph');
});

const chain = (nodes: [string, string, Record<string, unknown>?][], training: TrainingBlock): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: nodes.map(([id, type, params]) => ({ id, type, params: params ?? {} })),
  edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i][0], target: id })),
  training: training as Record<string, unknown>,
});

test('a CSV regression ending in sigmoid is exported with mean squared error and no accuracy, as the browser trains it', () => {
  const doc = chain([['in', 'Input', { shape: [2] }], ['h', 'Dense', { units: 8, activation: 'relu' }], ['out', 'Dense', { units: 1, activation: 'sigmoid' }]], { dataset: 'csv', task: 'regression' });
  expect(exported(toKeras(doc, compile(doc)))).toEqual({ loss: 'mean_squared_error', metrics: '' });
  expect(checkRun(compile(doc), checkTraining(doc.training).settings, null).loss).toBe('meanSquaredError');
});

test('MNIST into a linear Dense(10): the browser refuses; the export keeps its loss and says why', () => {
  const doc = chain([['in', 'Input', { shape: [784] }], ['out', 'Dense', { units: 10 }]], { dataset: 'mnist' });
  const result = compile(doc);
  const check = checkRun(result, checkTraining(doc.training).settings, datasetSpec('mnist').info({ settings: checkTraining({}).settings, upload: null, inputShape: [784] }).info, 8000);
  expect(check.plan).toBeNull();
  expect(check.diagnostics.map((d) => d.code)).toContain('loss-activation');
  const py = toKeras(doc, result);
  expect(exported(py)).toEqual({ loss: 'categorical_crossentropy', metrics: '"accuracy"' });
  expect(py.replace(/\n# /g, ' ')).toContain('Layerboard does not train this graph on MNIST digits in the browser: Categorical cross-entropy needs probabilities, but Dense "out" ends with linear');
});

test('the training block accepts exactly the registry\'s data sets, in picker order', () => {
  expect(checkTraining({ dataset: 'spiral' }).diagnostics).toEqual([]);
  expect(checkTraining({ dataset: 'mnist2' }).diagnostics[0].message).toMatch(/^Training: dataset must be one of mnist, circle, xor, gaussian, spiral, csv, images; got "mnist2"/);
});

test('MNIST takes an Input of [28, 28] (rows as a sequence) and LeNet-5\'s padded [32, 32, 1], and names the shapes otherwise', () => {
  const mnist = datasetSpec('mnist').info({ settings: checkTraining({}).settings, upload: null, inputShape: null }).info;
  const codes = (shape: number[]) => {
    const doc = chain([['in', 'Input', { shape }], ['f', 'Flatten'], ['out', 'Dense', { units: 10, activation: 'softmax' }]], { dataset: 'mnist' });
    return checkRun(compile(doc), checkTraining(doc.training).settings, mnist, 8000).diagnostics.map((d) => d.code);
  };
  expect(codes([28, 28])).toEqual([]);
  expect(codes([32, 32, 1])).toEqual([]);
  expect(codes([30, 30, 1])).toEqual(['data-input-shape']);
});
