/**
 * The ResNet50 fixture of the share-link length goals: it is what bench/share-resnet50.ts
 * generates, and the compiler gives the published Keras applications figures for it.
 */
import { compile } from '@/graph-compiler';
import { resnet50Document } from '@/bench/share-resnet50';
import { fixtureDoc } from './design';

test('the fixture is the generator’s output', () => {
  expect(fixtureDoc('resnet50')).toEqual(resnet50Document());
});

test('ResNet50: 25,636,712 params (25,583,592 trainable, 53,120 not), 177 layers, 1000 classes', () => {
  const r = compile(fixtureDoc('resnet50'));
  expect(r.ok).toBe(true);
  expect(r.totals).toMatchObject({ totalParams: 25_636_712, trainableParams: 25_583_592, nonTrainableParams: 53_120 });
  expect(r.order).toHaveLength(177);
  expect(r.nodes.conv5_block3_out.outputShape).toEqual([7, 7, 2048]);
  expect(r.nodes.predictions.outputShape).toEqual([1000]);
  expect(r.nodes.conv1_conv.paramCount!.trainable).toBe(9_472);
  expect(r.nodes.predictions.paramCount!.trainable).toBe(2_049_000);
  expect(r.edges.filter((e) => e.target.endsWith('_add'))).toHaveLength(32);
});
