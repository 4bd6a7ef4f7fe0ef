/**
 * Published whole-model figures (shared reference-figures.md): the compiler's totals must equal
 * them exactly, and so must the tfjs model it emits for the models small enough to build here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compile, toTfjsModel, type GraphDocument } from '@/graph-compiler';

tf.env().set('PROD', true);

const fixture = (name: string): GraphDocument =>
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8'));

test.each([
  ['mnist-convnet', 34_826, 34_826, 0, [10]],
  ['lenet5', 61_706, 61_706, 0, [10]],
  ['tfjs-mnist-conv', 33_194, 33_194, 0, [10]],
  ['vgg16', 138_357_544, 138_357_544, 0, [1000]],
])('%s totals %d params', (name, total, trainable, nonTrainable, outShape) => {
  const r = compile(fixture(name));
  expect(r.ok).toBe(true);
  expect(r.totals.totalParams).toBe(total);
  expect(r.totals.trainableParams).toBe(trainable);
  expect(r.totals.nonTrainableParams).toBe(nonTrainable);
  expect(r.nodes[r.outputs[0]].outputShape).toEqual(outShape);
});

test.each(['mnist-convnet', 'lenet5', 'tfjs-mnist-conv'])('%s: the emitted tfjs model agrees layer by layer', async (name) => {
  const r = compile(fixture(name));
  const model = await toTfjsModel(tf, r);
  expect(model.countParams()).toBe(r.totals.totalParams);
  for (const id of r.order) {
    const layer = model.getLayer(id);
    expect([id, (layer.outputShape as number[]).slice(1)]).toEqual([id, r.nodes[id].outputShape]);
    expect([id, layer.countParams()]).toEqual([id, r.nodes[id].paramCount!.trainable + r.nodes[id].paramCount!.nonTrainable]);
  }
  model.dispose();
});

test('VGG16 layer figures match the Keras applications summary', () => {
  const r = compile(fixture('vgg16'));
  expect(r.nodes.block1_conv1.paramCount!.trainable).toBe(1_792);
  expect(r.nodes.block5_pool.outputShape).toEqual([7, 7, 512]);
  expect(r.nodes.fc1.paramCount!.trainable).toBe(102_764_544);
  expect(r.nodes.predictions.paramCount!.trainable).toBe(4_097_000);
  // 15.47 GMACs is the commonly quoted VGG16 multiply-add count.
  expect(r.totals.macs / 1e9).toBeCloseTo(15.47, 1);
});
