/**
 * The run history's pure parts: each run's label says what changed against the run before it
 * (graph and training settings, node names as the canvas shows them), the history keeps at most
 * four runs (pinned ones stay), and the gap is validation minus training loss (the clean training
 * loss when the run measured it) and training minus validation accuracy.
 */
import { checkTraining, type GraphDocument, type GraphNode, type TrainingBlock } from '@/graph-compiler';
import { fmtValue, keepRun, MAX_RUNS, runChanges, runGaps, runLabel, type KeptRun, type RunInput, type RunPoint } from '@/lib/training/run-diff';

const BASE_TRAINING: TrainingBlock = { dataset: 'circle', learningRate: 0.03, batchSize: 32, epochs: 100, validationSplit: 0.4 };

function doc(nodes: GraphNode[], chain = nodes.map((n) => n.id)): GraphDocument {
  return {
    format: 'layerboard.graph',
    version: 1,
    nodes,
    edges: chain.slice(1).map((id, i) => ({ source: chain[i], target: id })),
  };
}

const base = doc([
  { id: 'input', type: 'Input', params: { shape: [2] } },
  { id: 'dense_1', type: 'Dense', params: { units: 64, activation: 'relu' } },
  { id: 'dense_2', type: 'Dense', params: { units: 64, activation: 'relu' } },
  { id: 'output', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
]);

const setup = (d: GraphDocument, block: TrainingBlock = {}) => ({ doc: d, settings: checkTraining({ ...BASE_TRAINING, ...block }).settings });

const edit = (d: GraphDocument, id: string, patch: Partial<GraphNode>, params: Record<string, unknown> = {}): GraphDocument => ({
  ...d,
  nodes: d.nodes.map((n) => (n.id === id ? { ...n, ...patch, params: { ...n.params, ...params } } : n)),
});

/** `d` with a Dropout node of `rate` between `after` and the node it fed. */
function insertDropout(d: GraphDocument, after: string, rate = 0.5, id = 'dropout_1'): GraphDocument {
  const out = d.edges.find((e) => e.source === after)!;
  return {
    ...d,
    nodes: [...d.nodes, { id, type: 'Dropout', params: { rate } }],
    edges: [...d.edges.filter((e) => e !== out), { source: after, target: id }, { source: id, target: out.target }],
  };
}

describe('runLabel', () => {
  it('calls the first run the baseline', () => {
    expect(runLabel(null, setup(base))).toBe('baseline');
  });

  it('names a Dropout node added after a layer, and removed again', () => {
    const withDrop = insertDropout(base, 'dense_1');
    expect(runLabel(setup(base), setup(withDrop))).toBe('Dropout 0.5 added after dense_1');
    expect(runLabel(setup(withDrop), setup(base))).toBe('Dropout 0.5 removed after dense_1');
  });

  it('names L2 set on one layer, on two (one change), changed and turned off', () => {
    const one = edit(base, 'dense_1', {}, { l2: 0.001 });
    expect(runLabel(setup(base), setup(one))).toBe('L2 0.001 in dense_1');
    const two = edit(one, 'dense_2', {}, { l2: 0.001 });
    expect(runLabel(setup(base), setup(two))).toBe('L2 0.001 in dense_1 and dense_2');
    expect(runLabel(setup(one), setup(edit(one, 'dense_1', {}, { l2: 0.01 })))).toBe('L2 0.001 → 0.01 in dense_1');
    expect(runLabel(setup(one), setup(edit(one, 'dense_1', {}, { l2: 0 })))).toBe('L2 off in dense_1');
  });

  it('takes an absent param as its documented default (no l2 is l2 0)', () => {
    expect(runLabel(setup(base), setup(edit(base, 'dense_1', {}, { l2: 0, l1: 0 })))).toBe('no change');
  });

  it('names early stopping with its patience, and its changes', () => {
    const es = { enabled: true, patience: 10 };
    expect(runLabel(setup(base), setup(base, { earlyStopping: es }))).toBe('early stopping (patience 10)');
    expect(runLabel(setup(base, { earlyStopping: es }), setup(base, { earlyStopping: { ...es, patience: 5 } }))).toBe('early stopping patience 10 → 5');
    expect(runLabel(setup(base, { earlyStopping: es }), setup(base))).toBe('early stopping off');
  });

  it('names fewer units, the learning rate and the activation with before and after', () => {
    expect(runLabel(setup(base), setup(edit(base, 'dense_2', {}, { units: 8 })))).toBe('units 64 → 8 in dense_2');
    expect(runLabel(setup(base), setup(base, { learningRate: 0.01 }))).toBe('learning rate 0.03 → 0.01');
    expect(runLabel(setup(base), setup(edit(base, 'dense_1', {}, { activation: 'tanh' })))).toBe('activation relu → tanh in dense_1');
  });

  it('counts several changes and lists them, graph first', () => {
    const next = setup(insertDropout(edit(base, 'dense_2', {}, { units: 8 }), 'dense_1'), { learningRate: 0.01 });
    expect(runLabel(setup(base), next)).toBe('3 changes: Dropout 0.5 added after dense_1; units 64 → 8 in dense_2; learning rate 0.03 → 0.01');
    expect(runChanges(setup(base), next)).toHaveLength(3);
  });

  it('lists three changes at most and counts the rest', () => {
    const next = setup(base, { learningRate: 0.01, batchSize: 8, epochs: 20, seed: 1, noise: 0.3 });
    expect(runLabel(setup(base), next)).toBe('5 changes: noise 0.1 → 0.3; learning rate 0.03 → 0.01; batch size 32 → 8; +2 more');
  });

  it('uses node names as the canvas shows them; a rename alone is no change', () => {
    const renamed = edit(base, 'dense_1', { label: 'hidden' });
    expect(runLabel(setup(base), setup(renamed))).toBe('no change');
    expect(runLabel(setup(base), setup(insertDropout(renamed, 'dense_1')))).toBe('Dropout 0.5 added after hidden');
    expect(runLabel(setup(base), setup(edit(renamed, 'dense_1', {}, { units: 16 })))).toBe('units 64 → 16 in hidden');
    // A name is text: whatever it holds goes into the label as it is, for React to escape.
    const odd = edit(base, 'dense_1', { label: '<b>x</b>' }, { l2: 0.001 });
    expect(runLabel(setup(base), setup(odd))).toBe('L2 0.001 in <b>x</b>');
  });

  it('says when only the wiring changed', () => {
    const rewired = doc(base.nodes, ['input', 'dense_2', 'dense_1', 'output']);
    expect(runLabel(setup(base), setup(rewired))).toBe('connections changed');
  });
});

describe('fmtValue', () => {
  it('writes numbers without float noise and bounds long values', () => {
    expect(fmtValue(0.1 + 0.2)).toBe('0.3');
    expect(fmtValue(64)).toBe('64');
    expect(fmtValue(undefined)).toBe('none');
    expect(fmtValue('x'.repeat(100))).toHaveLength(24);
    expect(fmtValue([1, 2, 3, 4, 5, 6, 7, 8])).toBe('[1, 2, 3, 4, 5, 6, …]');
  });
});

const points = (pairs: [number, number | undefined][]): RunPoint[] => pairs.map(([loss, valLoss], i) => ({ epoch: i + 1, loss, valLoss }));

describe('runGaps', () => {
  it('is validation minus training loss at the last epoch', () => {
    const g = runGaps({ epochs: points([[0.7, 0.72], [0.4, 0.6], [0.25, 0.75]]), restoredBest: false });
    expect(g.final).toEqual({ epoch: 3, train: 0.25, val: 0.75, gap: 0.5, clean: false });
    expect(g.best).toBeNull();
  });

  it('compares the clean training figures with the validation ones when the run measured them', () => {
    // Running loss 0.40 (penalty and dropout included), clean 0.31; accuracies 0.90 clean, 0.75 validation.
    const epochs: RunPoint[] = [
      { epoch: 1, loss: 0.7, acc: 0.5, valLoss: 0.72, valAcc: 0.5, trainEvalLoss: 0.69, trainEvalAcc: 0.55 },
      { epoch: 2, loss: 0.4, acc: 0.8, valLoss: 0.6, valAcc: 0.75, trainEvalLoss: 0.31, trainEvalAcc: 0.9 },
    ];
    const g = runGaps({ epochs, restoredBest: false }).final!;
    expect(g).toMatchObject({ epoch: 2, train: 0.31, val: 0.6, clean: true, trainAcc: 0.9, valAcc: 0.75 });
    expect(g.gap).toBeCloseTo(0.6 - 0.31, 12);
    expect(g.accGap).toBeCloseTo(0.9 - 0.75, 12);
    // Without the clean figures, the running ones: 0.6 − 0.4 and 0.8 − 0.75.
    const running = runGaps({ epochs: epochs.map((p) => ({ ...p, trainEvalLoss: undefined, trainEvalAcc: undefined })), restoredBest: false }).final!;
    expect(running).toMatchObject({ train: 0.4, clean: false, trainAcc: 0.8 });
    expect(running.gap).toBeCloseTo(0.2, 12);
    expect(running.accGap).toBeCloseTo(0.05, 12);
    // A regression has no accuracy gap.
    expect(runGaps({ epochs: [{ epoch: 1, loss: 1, valLoss: 2, trainEvalLoss: 0.5 }], restoredBest: false }).final).toEqual({ epoch: 1, train: 0.5, val: 2, gap: 1.5, clean: true });
  });

  it('also gives the best epoch\u2019s gap when early stopping restored its weights', () => {
    const g = runGaps({ epochs: points([[0.7, 0.72], [0.5, 0.55], [0.25, 0.75]]), bestEpoch: 2, restoredBest: true });
    expect(g.final!.gap).toBeCloseTo(0.5, 12);
    expect(g.best!.epoch).toBe(2);
    expect(g.best!.gap).toBeCloseTo(0.05, 12);
  });

  it('is null without a validation split', () => {
    expect(runGaps({ epochs: points([[0.5, undefined]]), restoredBest: false })).toEqual({ final: null, best: null });
    expect(runGaps({ epochs: [], restoredBest: false }).final).toBeNull();
  });
});

describe('keepRun', () => {
  const run = (lr: number): RunInput => ({ ...setup(base, { learningRate: lr }), epochs: points([[0.5, 0.6]]), reason: 'completed', restoredBest: false });
  const keepAll = (rates: number[], start: KeptRun[] = []) => rates.reduce((runs, lr) => keepRun(runs, run(lr)), start);

  it('keeps the last four runs, each labelled against the run before it, in distinct colours', () => {
    const runs = keepAll([0.1, 0.05, 0.02, 0.01, 0.005]);
    expect(runs).toHaveLength(MAX_RUNS);
    expect(runs.map((r) => r.id)).toEqual([2, 3, 4, 5]);
    expect(runs.map((r) => r.label)).toEqual(['learning rate 0.1 → 0.05', 'learning rate 0.05 → 0.02', 'learning rate 0.02 → 0.01', 'learning rate 0.01 → 0.005']);
    expect(new Set(runs.map((r) => r.colour)).size).toBe(4);
    expect(keepAll([0.1])[0]).toMatchObject({ id: 1, label: 'baseline', colour: 0, pinned: false });
  });

  it('drops the oldest unpinned run, keeping a pinned one and its colour', () => {
    let runs = keepAll([0.1, 0.05]);
    runs = runs.map((r) => (r.id === 1 ? { ...r, pinned: true } : r));
    runs = keepAll([0.02, 0.01, 0.005, 0.001], runs);
    expect(runs.map((r) => r.id)).toEqual([1, 4, 5, 6]);
    expect(runs[0]).toMatchObject({ label: 'baseline', pinned: true, colour: 0 });
    expect(new Set(runs.map((r) => r.colour)).size).toBe(4);
  });

  it('drops the oldest when every kept run is pinned, so the new run always shows', () => {
    const pinned = keepAll([0.1, 0.05, 0.02, 0.01]).map((r) => ({ ...r, pinned: true }));
    const runs = keepAll([0.005], pinned);
    expect(runs.map((r) => r.id)).toEqual([2, 3, 4, 5]);
    expect(runs[3].pinned).toBe(false);
  });

  it('keeps only the plotted figures of each epoch', () => {
    const input: RunInput = { ...run(0.1), epochs: [{ epoch: 1, loss: 0.5, valLoss: 0.6, ms: 12, numTensors: 9, numBytes: 100 } as RunPoint] };
    expect(keepRun([], input)[0].epochs[0]).toEqual({ epoch: 1, loss: 0.5, acc: undefined, valLoss: 0.6, valAcc: undefined });
    const clean = { epoch: 1, loss: 0.4, acc: 0.8, valLoss: 0.6, valAcc: 0.75, trainEvalLoss: 0.31, trainEvalAcc: 0.9 };
    expect(keepRun([], { ...input, epochs: [{ ...clean, ms: 12, numTensors: 9 } as RunPoint] })[0].epochs[0]).toEqual(clean);
  });
});
