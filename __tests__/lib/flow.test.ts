import { compile, type GraphDocument } from '@/graph-compiler';
import { FlowCache, routeLanes } from '@/lib/flow';
import { templateById } from '@/lib/templates';

const placed = (doc: GraphDocument): GraphDocument => ({
  ...doc,
  nodes: doc.nodes.map((n, i) => ({ ...n, position: { x: 0, y: i * 140 } })),
});

describe('flow derivation', () => {
  it('draws every node from its compile result', () => {
    const doc = placed(templateById('lenet5')!.doc);
    const nodes = new FlowCache().nodes(doc, compile(doc), new Set(['c1']), new Map());
    const c1 = nodes.find((n) => n.id === 'c1')!;
    expect(c1.data).toMatchObject({ type: 'Conv2D', category: 'convolution', shape: '28×28×6', params: '156', severity: null, inputs: 1 });
    expect(c1.data.summary).toContain('tanh');
    expect(c1.selected).toBe(true);
    expect(nodes.find((n) => n.id === 'input')!.data.inputs).toBe(0);
    expect(nodes.find((n) => n.id === 's2')!.data.params).toBeNull();
  });

  it('reuses the objects of nodes that did not change', () => {
    const cache = new FlowCache();
    const doc = placed(templateById('lenet5')!.doc);
    const first = cache.nodes(doc, compile(doc), new Set(), new Map());
    const moved = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'f5' ? { ...n, position: { x: 50, y: 50 } } : n)) };
    const second = cache.nodes(moved, compile(moved), new Set(), new Map());
    expect(second.filter((n, i) => n !== first[i]).map((n) => n.id)).toEqual(['f5']);
    expect(cache.nodes(moved, compile(moved), new Set(), new Map())).toBe(second);
  });

  it('gives a merge layer one handle per input plus a free one, and labels edges with shapes', () => {
    const doc = placed(templateById('resnet-blocks')!.doc);
    const result = compile(doc);
    const cache = new FlowCache();
    const add = cache.nodes(doc, result, new Set(), new Map()).find((n) => n.id === 'b1_add')!;
    expect(add.data.inputs).toBe(3);
    const edges = cache.edges(doc, result, new Set(), new Map());
    expect(edges.filter((e) => e.target === 'b1_add').map((e) => e.targetHandle)).toEqual(['in-0', 'in-1']);
    expect(edges.find((e) => e.source === 'input')!.data!.label).toBe('32×32×3');
  });

  it('marks errors on the node and routes skip connections around the nodes in their way', () => {
    const doc = placed(templateById('resnet-blocks')!.doc);
    const lanes = routeLanes(doc, new Map());
    const skip = doc.edges.findIndex((e) => e.source === 'stem_relu' && e.target === 'b1_add');
    expect(lanes.get(skip)).toBeGreaterThan(216);
    expect(lanes.has(doc.edges.findIndex((e) => e.source === 'input'))).toBe(false);

    const bad = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'b2_shortcut' ? { ...n, params: { ...n.params, strides: 1 } } : n)) };
    const nodes = new FlowCache().nodes(bad, compile(bad), new Set(), new Map());
    const add = nodes.find((n) => n.id === 'b2_add')!;
    expect(add.data.severity).toBe('error');
    expect(add.data.messages).toMatch(/one shape/);
  });
});
