/**
 * leakyRelu's slope is one declaration for every layer with an activation choice: a Dense (or
 * convolution) with leakyRelu takes alpha, tfjs computes with it, model.json carries it both
 * ways and the Keras script writes it; the inspector shows the field only with leakyRelu.
 */
import * as tfjs from '@tensorflow/tfjs';
import { compile, LAYERS, toKeras, toTfjsModel, type GraphDocument, type TF } from '@/graph-compiler';
import { toModelTopology } from '@/graph-compiler/emit/tfjs';
import { fromModelJson } from '@/graph-compiler/interop';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;
onCpuBackend(tf);

const doc: GraphDocument = {
  format: 'layerboard.graph',
  version: 1,
  nodes: [{ id: 'in', type: 'Input', params: { shape: [1] } }, { id: 'd', type: 'Dense', params: { units: 1, activation: 'leakyRelu', alpha: 0.2, useBias: false } }],
  edges: [{ source: 'in', target: 'd' }],
};

test('every layer with an activation choice declares alpha, shown only with leakyRelu', () => {
  const withActivation = LAYERS.filter((l) => 'activation' in l.params && l.params.activation.kind === 'choice' && (l.params.activation.options as readonly string[]).includes('leakyRelu'));
  expect(withActivation.map((l) => l.type).sort()).toEqual(['Activation', 'Conv1D', 'Conv2D', 'Conv2DTranspose', 'Dense', 'DepthwiseConv2D', 'SeparableConv2D']);
  for (const l of withActivation) {
    const alpha = (l.params as Record<string, { default?: number; shownWhen?: unknown }>).alpha;
    expect(alpha).toMatchObject({ default: 0.01, shownWhen: { param: 'activation', equals: 'leakyRelu' } });
  }
});

test('a Dense with leakyRelu α = 0.2 computes 0.2·x below 0 in tfjs, and model.json keeps α both ways', async () => {
  const result = compile(doc);
  expect(result.ok).toBe(true);
  const model = await toTfjsModel(tf, result);
  model.setWeights([tf.tensor2d([[1]])]);
  const y = (model.predict(tf.tensor2d([[-5], [3]])) as tfjs.Tensor).dataSync();
  expect(Array.from(y)).toEqual([expect.closeTo(-1, 6), expect.closeTo(3, 6)]);
  const topology = toModelTopology(result);
  const leaky = (topology.config as unknown as { layers: { class_name: string; config: { alpha?: number } }[] }).layers.find((l) => l.class_name === 'LeakyReLU');
  expect(leaky?.config.alpha).toBe(0.2);
  const back = fromModelJson({ modelTopology: topology });
  expect(back.ok && back.doc.nodes.find((n) => n.type === 'Dense')?.params).toMatchObject({ activation: 'leakyRelu', alpha: 0.2 });
  expect(toKeras(doc, result)).toContain('layers.LeakyReLU(negative_slope=0.2');
});
