import type { GraphDocument } from '@/graph-compiler';
import {
  connectionProblem,
  edgeIds,
  extractFragment,
  insertEdge,
  pasteFragment,
  removeElements,
  snakeName,
  uniqueId,
} from '@/lib/graph';

const doc: GraphDocument = {
  format: 'layerboard.graph',
  version: 1,
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [4] } },
    { id: 'a', type: 'Dense', params: { units: 3 }, position: { x: 0, y: 100 } },
    { id: 'b', type: 'Dense', params: { units: 3 }, position: { x: 0, y: 200 } },
    { id: 'sum', type: 'Add', params: {}, position: { x: 0, y: 300 } },
  ],
  edges: [
    { source: 'in', target: 'a' },
    { source: 'a', target: 'b' },
    { source: 'a', target: 'sum' },
    { source: 'b', target: 'sum' },
  ],
};

describe('graph editing', () => {
  it('names nodes as Keras does', () => {
    expect(snakeName('Conv2D')).toBe('conv2d');
    expect(snakeName('MaxPooling2D')).toBe('max_pooling2d');
    expect(snakeName('BatchNormalization')).toBe('batch_normalization');
    expect(snakeName('GlobalAveragePooling2D')).toBe('global_average_pooling2d');
    const taken = new Set(['dense_1']);
    expect(uniqueId('dense', taken)).toBe('dense_2');
    expect(taken.has('dense_2')).toBe(true);
  });

  it('refuses self-loops, edges into an Input and cycles, with a reason', () => {
    expect(connectionProblem(doc, 'a', 'a')).toMatch(/its own output/);
    expect(connectionProblem(doc, 'a', 'in')).toMatch(/Input/);
    expect(connectionProblem(doc, 'sum', 'a')).toMatch(/loop/);
    expect(connectionProblem(doc, 'b', 'a')).toMatch(/"a" already feeds "b"/);
    expect(connectionProblem(doc, 'in', 'b')).toBeNull();
  });

  it('inserts a merge input at the slot it was dropped on', () => {
    const next = insertEdge(doc, 'in', 'sum', 1);
    expect(next.edges.filter((e) => e.target === 'sum').map((e) => e.source)).toEqual(['a', 'in', 'b']);
    expect(insertEdge(doc, 'in', 'sum').edges.at(-1)).toEqual({ source: 'in', target: 'sum' });
    expect(doc.edges).toHaveLength(4);
  });

  it('gives repeated edges distinct ids and removes edges by id', () => {
    const twice = insertEdge(doc, 'a', 'sum');
    expect(edgeIds(twice.edges).slice(2)).toEqual(['a->sum', 'b->sum', 'a->sum#2']);
    const next = removeElements(doc, new Set(), new Set(['a->b']));
    expect(next.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['in->a', 'a->sum', 'b->sum']);
  });

  it('removes a node with its edges and shares untouched nodes', () => {
    const next = removeElements(doc, new Set(['b']), new Set());
    expect(next.nodes.map((n) => n.id)).toEqual(['in', 'a', 'sum']);
    expect(next.edges).toHaveLength(2);
    expect(next.nodes[1]).toBe(doc.nodes[1]);
  });

  it('copies the edges inside a selection only, with fresh ids', () => {
    const frag = extractFragment(doc, new Set(['a', 'b']));
    expect(frag.edges).toEqual([{ source: 'a', target: 'b' }]);
    const { doc: next, ids } = pasteFragment(doc, frag, { x: 32, y: 32 });
    expect(ids).toEqual(['dense_1', 'dense_2']);
    expect(next.edges.at(-1)).toEqual({ source: 'dense_1', target: 'dense_2' });
    expect(next.nodes.find((n) => n.id === 'dense_1')!.position).toEqual({ x: 32, y: 132 });
    expect(next.nodes.find((n) => n.id === 'dense_1')!.params).not.toBe(doc.nodes[1].params);
  });
});
