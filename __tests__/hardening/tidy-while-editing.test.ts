/**
 * Tidy up (L) lays the graph out with ELK, which takes about a second on a big graph, and the
 * graph stays editable meanwhile: a node the user moves or adds before the layout lands keeps
 * where the user put it, every other node takes its laid-out place, in one undo step; a second
 * request while one runs joins it.
 */
import type { GraphDocument } from '@/graph-compiler';
import { layoutPositions } from '@/lib/layout';
import { openDocument, tidyLayout } from '@/lib/open';
import { resetEditorStore, useEditorStore } from '@/lib/store';

const store = () => useEditorStore.getState();

const scattered: GraphDocument = {
  format: 'layerboard.graph', version: 1, name: 'scattered',
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [4] }, position: { x: 900, y: 20 } },
    ...Array.from({ length: 5 }, (_, i) => ({ id: `d${i}`, type: 'Dense', params: { units: 3 }, position: { x: 37 * i, y: 500 - 61 * i } })),
  ],
  edges: Array.from({ length: 5 }, (_, i) => ({ source: i === 0 ? 'in' : `d${i - 1}`, target: `d${i}` })),
};

beforeEach(() => resetEditorStore());

test('a node moved and a node added while ELK works keep the user’s positions; the rest are laid out; one undo step', async () => {
  await openDocument(scattered);
  const before = store().doc;
  const expected = await layoutPositions(before);
  const tidying = tidyLayout();
  // Meanwhile: the user drags d2 and adds a layer.
  store().beginMove();
  store().moveNodes(new Map([[`d2`, { x: 1200, y: 1200 }]]));
  store().endMove();
  const added = store().addNode('Dense', { x: -300, y: -300 });
  expect(added).not.toBe('');
  // A second press joins the first.
  expect(tidyLayout()).toBe(tidying);
  await tidying;
  const at = new Map(store().doc.nodes.map((n) => [n.id, n.position]));
  expect(at.get('d2')).toEqual({ x: 1200, y: 1200 });
  expect(at.get(added)).toEqual({ x: -300, y: -300 });
  for (const id of ['in', 'd0', 'd1', 'd3', 'd4']) expect(at.get(id)).toEqual(expected.get(id));
  expect(store().toasts.map((t) => t.text)).toContain('Tidy up left 2 layers you moved or added meanwhile where you put them.');
  // The layout is one undo step; the two edits before it are theirs.
  store().undo();
  expect(store().doc.nodes.find((n) => n.id === 'd2')!.position).toEqual({ x: 1200, y: 1200 });
  expect(store().doc.nodes.find((n) => n.id === 'in')!.position).toEqual({ x: 900, y: 20 });
});

test('with no edit meanwhile every node is laid out, and no note', async () => {
  await openDocument(scattered);
  const expected = await layoutPositions(store().doc);
  await tidyLayout();
  for (const n of store().doc.nodes) expect(n.position).toEqual(expected.get(n.id));
  expect(store().toasts.filter((t) => t.text.startsWith('Tidy up'))).toEqual([]);
});
