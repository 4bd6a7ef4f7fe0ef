/**
 * The `memory` request the browser tests read (window.__layerboard.trainingMemory()): the
 * engine answers tfjs's own tf.memory() count and bytes, and follows tensors that appear and go.
 */
import * as tfjs from '@tensorflow/tfjs';
import type { TF } from '@/graph-compiler';
import { TrainingEngine } from '@/lib/training/engine';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;

onCpuBackend(tf);

describe('the memory request', () => {
  it('answers tf.memory(), and counts a 3×5 float32 tensor as one tensor of 60 bytes', () => {
    const engine = new TrainingEngine(tf);
    const before = engine.memory();
    expect(before).toEqual({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });
    const t = tf.zeros([3, 5]);
    expect(engine.memory()).toEqual({ numTensors: before.numTensors + 1, numBytes: before.numBytes + 3 * 5 * 4 });
    t.dispose();
    expect(engine.memory()).toEqual(before);
  });
});
