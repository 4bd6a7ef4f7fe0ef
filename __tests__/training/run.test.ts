/**
 * The run controller on tfjs's CPU backend in Node: training, determinism, early stopping with
 * restored weights, pause/resume/stop, the NaN and divergence guards, and no tensor leaks.
 */
import * as tfjs from '@tensorflow/tfjs';
import { checkTraining, compile, type GraphDocument, type TF, type TrainingBlock } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import type { Dataset } from '@/lib/datasets/types';
import { checkRun } from '@/lib/training/check';
import { fillFeatures, fillTargets, hasDiverged, lowerRateAdvice, measureModel, TrainingRun, type BatchLog, type EpochLog } from '@/lib/training/run';
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

const MLP = chain([
  ['in', 'Input', { shape: [2] }],
  ['h', 'Dense', { units: 8, activation: 'tanh' }],
  ['out', 'Dense', { units: 1, activation: 'sigmoid' }],
]);

const SOFTMAX = chain([
  ['in', 'Input', { shape: [2] }],
  ['h', 'Dense', { units: 8, activation: 'relu' }],
  ['drop', 'Dropout', { rate: 0.1 }],
  ['out', 'Dense', { units: 2, activation: 'softmax' }],
]);

function setup(doc: GraphDocument, block: TrainingBlock, dataset?: Dataset) {
  const { settings } = checkTraining({ dataset: 'gaussian', samples: 200, trainRatio: 0.75, noise: 0, learningRate: 0.05, batchSize: 16, epochs: 4, validationSplit: 0.2, ...block });
  const ds = dataset ?? playgroundSet('gaussian').dataset(settings);
  const result = compile(doc);
  const check = checkRun(result, settings, ds, ds.train.n);
  if (!check.plan) throw new Error(check.diagnostics.map((d) => d.message).join('\n'));
  return { settings, ds, result, plan: check.plan };
}

function makeRun(doc: GraphDocument, block: TrainingBlock, extra: { onBatch?(b: BatchLog): void; onEpoch?(e: EpochLog): void; onState?(s: string): void } = {}, dataset?: Dataset) {
  const s = setup(doc, block, dataset);
  const batches: BatchLog[] = [];
  const epochs: EpochLog[] = [];
  const run = new TrainingRun({
    tf,
    result: s.result,
    settings: s.settings,
    dataset: s.ds,
    plan: s.plan,
    listener: {
      onBatch: (b) => {
        batches.push(b);
        extra.onBatch?.(b);
      },
      onEpoch: (e) => {
        epochs.push(e);
        extra.onEpoch?.(e);
      },
      onState: (state) => extra.onState?.(state),
    },
  });
  return { run, batches, epochs, ...s };
}

describe('TrainingRun', () => {
  it('trains an MLP on the Gaussian set, reporting every batch and epoch, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const { run, batches, epochs, ds } = makeRun(MLP, { epochs: 5 });
    const end = await run.start();
    expect(end.reason).toBe('completed');
    expect(end.message).toBe('Trained 5 epochs.');
    const perEpoch = Math.ceil((ds.train.n - Math.floor(ds.train.n * 0.2)) / 16);
    expect(batches).toHaveLength(5 * perEpoch);
    expect(batches.map((b) => b.step)).toEqual(batches.map((_, i) => i + 1));
    expect(batches[batches.length - 1]).toMatchObject({ epoch: 5, batch: perEpoch, batchesPerEpoch: perEpoch, epochs: 5 });
    expect(batches[batches.length - 1].etaMs).toBeLessThan(batches[0].etaMs);
    expect(batches.every((b) => b.examplesPerSecond > 0 && b.acc !== undefined)).toBe(true);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(epochs.every((e) => e.valLoss !== undefined && e.valAcc !== undefined)).toBe(true);
    expect(epochs[4].loss).toBeLessThan(epochs[0].loss);

    // Flat from epoch to epoch: the model, the optimizer's slots and nothing else.
    expect(new Set(epochs.map((e) => e.numTensors)).size).toBe(1);

    // The run's resident data (inputs and targets of training and validation) is gone with it.
    const afterRun = tf.memory().numTensors;
    expect(afterRun).toBe(epochs[0].numTensors - 4);
    const ev = await run.evaluate();
    expect(ev.n).toBe(ds.test.n);
    expect(ev.accuracy).toBeGreaterThan(0.9);
    expect(ev.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(ds.test.n);
    expect(ev.probs).toHaveLength(ds.test.n * 2);
    expect(tf.memory().numTensors).toBe(afterRun);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same run for the same seed (data, split, shuffling and first weights)', async () => {
    // No Dropout here: its masks are not seeded.
    const a = makeRun(MLP, { epochs: 2, seed: 3 });
    const b = makeRun(MLP, { epochs: 2, seed: 3 });
    const c = makeRun(MLP, { epochs: 2, seed: 4 });
    const la = (await a.run.start()).history.map((e) => e.valLoss);
    const lb = (await b.run.start()).history.map((e) => e.valLoss);
    const lc = (await c.run.start()).history.map((e) => e.valLoss);
    expect(lb).toEqual(la);
    expect(lc).not.toEqual(la);
    for (const r of [a, b, c]) r.run.dispose();
  });

  it('stops early when the monitored metric stops improving and restores the best weights', async () => {
    // A minDelta nothing can beat: epoch 1 is the best, epoch 2 does not improve, stop.
    const { run, epochs, ds, plan } = makeRun(SOFTMAX, { epochs: 10, earlyStopping: { enabled: true, monitor: 'val_loss', patience: 1, minDelta: 100, restoreBestWeights: true } });
    const end = await run.start();
    expect(end.reason).toBe('early-stopped');
    expect(end.epochsDone).toBe(2);
    expect(end.bestEpoch).toBe(1);
    expect(end.restoredBest).toBe(true);
    expect(end.message).toMatch(/^Stopped early after epoch 2: the validation loss has not improved for 1 epoch \(best [\d.]+ at epoch 1\)\. Restored the weights of epoch 1\.$/);
    // One monitored figure: the message's best is the card's (the same words, the same value).
    expect(end.best).toEqual({ monitor: 'val_loss', title: 'validation loss', value: epochs[0].valLoss, epoch: 1 });
    expect(end.message).toContain(`best ${epochs[0].valLoss!.toFixed(4)} at epoch 1`);
    expect(epochs.map((e) => e.improved)).toEqual([true, false]);
    // The model now has epoch 1's weights: its validation loss is epoch 1's again.
    const nVal = Math.floor(ds.train.n * 0.2);
    const valIds = Array.from({ length: nVal }, (_, i) => ds.train.n - nVal + i);
    const again = await measureModel(tf, run.model!, ds, plan, ds.train, valIds);
    expect(again.loss).toBeCloseTo(epochs[0].valLoss!, 5);
    expect(again.loss).not.toBeCloseTo(epochs[1].valLoss!, 5);
    expect(new Set(epochs.map((e) => e.numTensors)).size).toBe(1);
    run.dispose();
  });

  it('keeps the last weights when restoring is off, and watches training accuracy too', async () => {
    const { run } = makeRun(SOFTMAX, { epochs: 10, earlyStopping: { enabled: true, monitor: 'acc', patience: 2, minDelta: 1, restoreBestWeights: false } });
    const end = await run.start();
    expect(end.reason).toBe('early-stopped');
    expect(end.epochsDone).toBe(3);
    expect(end.restoredBest).toBe(false);
    expect(end.message).toMatch(/the training accuracy has not improved for 2 epochs \(best [\d.]+% at epoch 1\)/);
    expect(end.best).toMatchObject({ monitor: 'acc', title: 'training accuracy', epoch: 1 });
    run.dispose();
  });

  // Batches are read back in groups (one read-back per group), so a pause or stop asked for
  // while a group is reported takes effect after that group's last batch.
  it('pauses between batches, resumes, and stops', async () => {
    let paused = false;
    const states: string[] = [];
    const { run, batches } = makeRun(MLP, { epochs: 50 }, {
      onBatch: (b) => {
        if (b.step === 3 && !paused) {
          paused = true;
          run.pause();
        }
        if (b.step === 10) run.stop();
      },
      onState: (s) => states.push(s),
    });
    const ending = run.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(run.state).toBe('paused');
    const atPause = batches.length;
    expect(atPause).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toHaveLength(atPause);
    run.resume();
    const end = await ending;
    expect(end.reason).toBe('stopped');
    expect(end.message).toMatch(/^Stopped at epoch \d+, batch \d+ of \d+\.$/);
    expect(batches.length).toBeGreaterThanOrEqual(10);
    expect(batches.length).toBeLessThan(50 * batches[0].batchesPerEpoch);
    expect(states).toEqual(['running', 'paused', 'running', 'stopping', 'finished']);
    run.dispose();
  });

  it('stops while paused', async () => {
    const { run } = makeRun(MLP, { epochs: 50 }, { onBatch: (b) => b.step === 2 && run.pause() });
    const ending = run.start();
    await new Promise((r) => setTimeout(r, 30));
    run.stop();
    expect((await ending).reason).toBe('stopped');
    run.dispose();
  });

  it('stops on a NaN or infinite loss and advises a lower learning rate', async () => {
    const reg = chain([['in', 'Input', { shape: [2] }], ['h', 'Dense', { units: 16, activation: 'relu' }], ['out', 'Dense', { units: 1 }]]);
    const ds: Dataset = { ...playgroundSet('gaussian').dataset({ samples: 200, noise: 0, trainRatio: 0.75, seed: 1 }), task: 'regression', classNames: [] };
    const { run } = makeRun(reg, { optimizer: 'sgd', learningRate: 1e6, epochs: 3, dataset: 'csv', task: 'regression' }, {}, ds);
    const end = await run.start();
    expect(end.reason).toBe('nan');
    expect(end.message).toMatch(/^The loss became (NaN|infinite) at epoch 1, batch \d+: the weights blew up\. Lower the learning rate \(it is 1000000\); try 0\.01\.$/);
    run.dispose();
  });

  it('stops a diverging run whose loss tfjs clips (cross-entropy) before it turns NaN', async () => {
    const xor = playgroundSet('xor').dataset({ samples: 200, noise: 0, trainRatio: 0.75, seed: 1 });
    const { run } = makeRun(MLP, { learningRate: 1e6, epochs: 20, batchSize: 8 }, {}, xor);
    const end = await run.start();
    expect(['diverged', 'nan']).toContain(end.reason);
    expect(end.message).toMatch(/Lower the learning rate \(it is 1000000\); try 0\.001\./);
    run.dispose();
  });

  it('ends at once when abortOn settles, even while a batch never finishes (a lost WebGL context)', async () => {
    const s = setup(MLP, { epochs: 50 });
    let lose: (msg: string) => void = () => undefined;
    const abortOn = new Promise<string>((resolve) => {
      lose = resolve;
    });
    let lost = false;
    let hang: jest.SpyInstance | null = null;
    const run = new TrainingRun({
      tf, result: s.result, settings: s.settings, dataset: s.ds, plan: s.plan, abortOn,
      abortReason: () => (lost ? 'The WebGL context was lost.' : null),
      listener: {
        onBatch: (b) => {
          if (b.step !== 3) return;
          // Every read-back from now on hangs, as on a dead context.
          hang = jest.spyOn(tfjs.Tensor.prototype, 'data').mockImplementation(() => new Promise(() => undefined));
          setTimeout(() => {
            lost = true;
            lose('The WebGL context was lost.');
          }, 20);
        },
      },
    });
    const end = await run.start();
    expect(end.reason).toBe('error');
    hang!.mockRestore();
    expect(end.message).toBe('The WebGL context was lost.');
    expect(run.state).toBe('finished');
    run.dispose();
  });

  it('trains with integer targets for sparse categorical cross-entropy', async () => {
    const { run, plan } = makeRun(SOFTMAX, { loss: 'sparseCategoricalCrossentropy', epochs: 3 });
    expect(plan.encoding).toBe('index');
    const end = await run.start();
    expect(end.reason).toBe('completed');
    expect((await run.evaluate()).accuracy).toBeGreaterThan(0.8);
    run.dispose();
  });
});

describe('batch assembly and guards', () => {
  const split = { x: new Uint8Array([0, 255, 51, 102]), y: new Float32Array([2, 0]), n: 2 };

  it('scales uint8 pixels and follows the index order', () => {
    const out = new Float32Array(4);
    fillFeatures(split, 2, 1 / 255, [1, 0], 0, 2, out);
    expect([...out].map((v) => +v.toFixed(2))).toEqual([0.2, 0.4, 0, 1]);
  });

  it('encodes targets one-hot, as an index, or as a value', () => {
    const onehot = new Float32Array(6).fill(9);
    fillTargets(split, 'onehot', 3, [0, 1], 0, 2, onehot);
    expect([...onehot]).toEqual([0, 0, 1, 1, 0, 0]);
    const index = new Float32Array(2);
    fillTargets(split, 'index', 3, [1, 0], 0, 2, index);
    expect([...index]).toEqual([0, 2]);
  });

  it('calls a loss diverged far above where it started', () => {
    expect(hasDiverged(2.3, 7.7)).toBe(true);
    expect(hasDiverged(2.3, 3)).toBe(false);
    expect(hasDiverged(0.69, 2)).toBe(false);
    expect(hasDiverged(0.69, 4.7)).toBe(true);
    expect(lowerRateAdvice({ optimizer: 'adam', learningRate: 0.05 })).toBe('Lower the learning rate (it is 0.05); try 0.001.');
    expect(lowerRateAdvice({ optimizer: 'sgd', learningRate: 0.05 })).toBe('Lower the learning rate (it is 0.05); try 0.005.');
  });
});
