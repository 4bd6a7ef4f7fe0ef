/**
 * The Playground circle template learns its circle in its own 40 epochs of plain SGD, with the
 * project's run controller on tfjs's CPU backend, whatever the seed: a template a student opens
 * for the neuron view must end with a boundary worth looking at.
 */
import * as tfjs from '@tensorflow/tfjs';
import { checkTraining, compile, type TF } from '@/graph-compiler';
import { playgroundSet } from '@/graph-compiler/datasets';
import { checkRun } from '@/lib/training/check';
import { evaluateModel, TrainingRun } from '@/lib/training/run';
import { templateById } from '@/lib/templates';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

describe('Playground circle template', () => {
  it.each([1, 2, 3, 5, 42])('reaches at least 97%% of the test points with seed %i', async (seed) => {
    const doc = templateById('playground-circle')!.doc;
    const { settings, diagnostics } = checkTraining({ ...doc.training, seed });
    expect(diagnostics).toEqual([]);
    const dataset = playgroundSet('circle').dataset(settings);
    expect(dataset.train.n).toBe(250);
    const result = compile(doc);
    const plan = checkRun(result, settings, dataset, dataset.train.n).plan!;
    const start = tf.memory().numTensors;
    const run = new TrainingRun({ tf, result, settings, dataset, plan });
    const end = await run.start();
    expect(end.reason).toBe('completed');
    const evaluation = await evaluateModel(tf, run.model!, dataset, plan, dataset.test);
    run.dispose();
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(tf.memory().numTensors).toBe(start);
  }, 120_000);
});
