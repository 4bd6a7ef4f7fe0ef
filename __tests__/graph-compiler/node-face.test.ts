/** What a node's face shows: the layer's own summary, and its weight penalties when set. */
import { compile, type GraphDocument } from '@/graph-compiler';

const doc = (params: Record<string, unknown>): GraphDocument => ({
  format: 'layerboard.graph',
  version: 1,
  nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }, { id: 'd', type: 'Dense', params: { units: 3, activation: 'relu', ...params } }],
  edges: [{ source: 'in', target: 'd' }],
});

test.each([
  [{}, '3 units · relu'],
  [{ l2: 0.01 }, '3 units · relu · L2 0.01'],
  [{ l1: 0.001, l2: 0.0001 }, '3 units · relu · L1 0.001 · L2 0.0001'],
  [{ l1: 0 }, '3 units · relu'],
])('Dense %j shows "%s"', (params, face) => {
  expect(compile(doc(params)).nodes.d.summary).toBe(face);
});
