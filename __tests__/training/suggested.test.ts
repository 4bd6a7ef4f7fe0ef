/**
 * Each 2-D data set suggests the settings a new graph trains with: a hand-built 2-4-1 tanh
 * network reaches 95 % on exclusive or and the circle with them, measured here by training it
 * with tfjs (CPU backend) through the run controller the browser uses.
 */
import * as tfjs from '@tensorflow/tfjs';
import { checkTraining, compile, suggestedFieldsOf, TRAINING_DEFAULTS, type GraphDocument, type TF } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import { checkRun } from '@/lib/training/check';
import { TrainingRun } from '@/lib/training/run';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

const MLP_2_4_1: GraphDocument = {
  format: 'layerboard.graph',
  version: 1,
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [2] } },
    { id: 'hidden', type: 'Dense', params: { units: 4, activation: 'tanh' } },
    { id: 'out', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ],
  edges: [{ source: 'in', target: 'hidden' }, { source: 'hidden', target: 'out' }],
};

describe('suggested settings', () => {
  it('fill the fields a block leaves out, and only those', () => {
    expect(checkTraining({ dataset: 'xor' }).settings).toMatchObject({ optimizer: 'adam', learningRate: 0.05, epochs: 50, batchSize: 16 });
    expect(checkTraining({ dataset: 'xor', learningRate: 0.001, epochs: 5 }).settings).toMatchObject({ learningRate: 0.001, epochs: 5, batchSize: 16 });
    expect(suggestedFieldsOf({ dataset: 'xor', epochs: 5 }, 'xor')).toEqual({ optimizer: 'adam', learningRate: 0.05, batchSize: 16 });
    // MNIST suggests nothing: the general defaults are its settings.
    expect(checkTraining(undefined).settings).toMatchObject({ dataset: 'mnist', learningRate: TRAINING_DEFAULTS.learningRate, epochs: TRAINING_DEFAULTS.epochs });
  });

  it.each([
    ['xor', 42], ['xor', 3], ['circle', 42], ['circle', 3],
  ] as const)('train a hand-built 2-4-1 tanh network to ≥ 95 %% on %s (seed %i)', async (dataset, seed) => {
    const { settings } = checkTraining({ dataset, seed });
    const ds = playgroundSet(dataset).dataset(settings);
    const result = compile(MLP_2_4_1);
    const check = checkRun(result, settings, ds, ds.train.n);
    expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const run = new TrainingRun({ tf, result, settings, dataset: ds, plan: check.plan! });
    const end = await run.start();
    expect(end.reason).toBe('completed');
    const ev = await run.evaluate();
    run.dispose();
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
