/**
 * What the editor exposes to `npm run bench` as `window.__layerboard.bench()` (loaded, with
 * TensorFlow.js, on the first call): throughput of the compiled Keras MNIST convnet (the
 * editor's template) against the same architecture written by hand with tfjs, both trained by
 * the same loop in the same page; tfjs's own `model.fit` for reference; and the WebGL against
 * the CPU backend. These run on the page's main thread, beside the training panel's worker.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { checkTraining, compile, type TF } from '@/graph-compiler';
import { loadMnist } from '@/lib/datasets/mnist';
import { checkRun } from './check';
import { TrainingRun, batchTensors } from './run';
import { mnistConvnet } from '@/lib/templates/convnets';
import { loadTf } from './tf';

/** The Keras example `mnist_convnet`, written by hand with tfjs-layers. */
export function kerasConvnetByHand(tf: TF): tfjs.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

async function setup(batchSize: number) {
  const { tf, backend } = await loadTf();
  const dataset = await loadMnist();
  const { settings } = checkTraining({ ...mnistConvnet.training, batchSize, epochs: 1, validationSplit: 0 });
  const result = compile(mnistConvnet);
  const plan = checkRun(result, settings, dataset, dataset.train.n).plan!;
  return { tf, backend, dataset, settings, result, plan };
}

/**
 * Examples per second of `batches` training batches (the first `skip` not timed: they compile
 * shaders and warm caches), with the compiled graph or the hand-written model.
 */
export async function throughput(o: { model: 'compiled' | 'by-hand'; batches: number; skip: number; batchSize: number }): Promise<number> {
  const { tf, dataset, settings, result, plan } = await setup(o.batchSize);
  const times: number[] = [];
  const run = new TrainingRun({
    tf, result, settings, dataset, plan,
    buildModel: o.model === 'by-hand' ? kerasConvnetByHand : undefined,
    listener: {
      onBatch: (b) => {
        times.push(performance.now());
        if (b.step >= o.batches) run.stop();
      },
    },
  });
  await run.start();
  run.dispose();
  const timed = o.batches - o.skip;
  return (timed * o.batchSize * 1000) / (times[o.batches - 1] - times[o.skip - 1]);
}

/** Examples per second of tfjs's own `model.fit` on the hand-written model (after a warm-up). */
export async function fitThroughput(o: { batches: number; batchSize: number }): Promise<number> {
  const { tf, dataset, plan } = await setup(o.batchSize);
  const model = kerasConvnetByHand(tf);
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['acc'] });
  const ids = Array.from({ length: o.batches * o.batchSize }, (_, i) => i);
  const [x, y] = batchTensors(tf, dataset, plan, dataset.train, ids, 0, ids.length);
  await model.fit(x.slice(0, o.batchSize), y.slice(0, o.batchSize), { batchSize: o.batchSize, epochs: 1, verbose: 0 });
  const t0 = performance.now();
  await model.fit(x, y, { batchSize: o.batchSize, epochs: 1, verbose: 0 });
  const ms = performance.now() - t0;
  tf.dispose([x, y]);
  model.dispose();
  return (ids.length * 1000) / ms;
}

/** The same measurement on the CPU backend, then back to WebGL. */
export async function cpuThroughput(o: { batches: number; skip: number; batchSize: number }): Promise<number> {
  const { tf } = await loadTf();
  await tf.setBackend('cpu');
  try {
    return await throughput({ model: 'compiled', ...o });
  } finally {
    await tf.setBackend('webgl');
  }
}

/** The backend and the GL renderer behind it. */
export async function environment(): Promise<{ backend: string; renderer: string; parallelCompile: boolean }> {
  const { tf, backend } = await loadTf();
  const gl = (tf.backend() as unknown as { gpgpu?: { gl: WebGL2RenderingContext } }).gpgpu?.gl;
  if (!gl) return { backend, renderer: 'none', parallelCompile: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  return { backend, renderer, parallelCompile: !!gl.getExtension('KHR_parallel_shader_compile') };
}
