/**
 * Opening a document without positions takes a layout (ELK, about a second in a browser):
 * meanwhile the editor is marked as opening, and an edit is refused with a message instead of
 * being made to the old graph and then replaced when the layout lands.
 */
import type { GraphDocument } from '@/graph-compiler';
import { openDocument } from '@/lib/open';
import { resetEditorStore, useEditorStore } from '@/lib/store';

const unplaced = (name: string, n: number): GraphDocument => ({
  format: 'layerboard.graph', version: 1, name,
  nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }, ...Array.from({ length: n }, (_, i) => ({ id: `d${i}`, type: 'Dense', params: { units: 3 } }))],
  edges: Array.from({ length: n }, (_, i) => ({ source: i === 0 ? 'in' : `d${i - 1}`, target: `d${i}` })),
});

const store = () => useEditorStore.getState();

beforeEach(() => resetEditorStore());

test('edits while the layout runs are refused with a message, none is lost or half-applied', async () => {
  store().addNode('Input', { x: 0, y: 0 });
  const before = store().doc;
  const opening = openDocument(unplaced('From a link', 6));
  expect(store().opening).toBe('From a link');

  // Every way of changing the graph waits.
  expect(store().addNode('Dense', { x: 200, y: 0 })).toBe('');
  store().renameDocument('renamed meanwhile');
  store().updateParam(before.nodes[0].id, 'shape', [9]);
  store().beginMove();
  store().moveNodes(new Map([[before.nodes[0].id, { x: 400, y: 400 }]]));
  store().endMove();
  store().undo();
  expect(store().doc).toBe(before);
  expect(store().toasts.map((t) => t.text)).toContain('Opening “From a link”: it is being laid out, edit it in a moment.');

  await opening;
  expect(store().opening).toBeNull();
  const doc = store().doc;
  expect(doc.name).toBe('From a link');
  expect(doc.nodes.map((n) => n.id)).toEqual(['in', 'd0', 'd1', 'd2', 'd3', 'd4', 'd5']);
  for (const n of doc.nodes) expect(n.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  // Editing works again, and the edit stays.
  const id = store().addNode('Dense', { x: 640, y: 0 });
  expect(id).not.toBe('');
  expect(store().doc.nodes.some((n) => n.id === id)).toBe(true);
  // One undo step back to the graph before the open (the refused edits left no steps).
  store().undo();
  store().undo();
  expect(store().doc).toBe(before);
});

test('a later open supersedes one still being laid out, and editing resumes', async () => {
  const first = openDocument(unplaced('first', 4));
  const placed: GraphDocument = { format: 'layerboard.graph', version: 1, name: 'second', nodes: [{ id: 'x', type: 'Input', params: { shape: [2] }, position: { x: 0, y: 0 } }], edges: [] };
  await openDocument(placed);
  expect(store().opening).toBeNull();
  await first;
  expect(store().doc.name).toBe('second');
  expect(store().opening).toBeNull();
  expect(store().addNode('Dense', { x: 0, y: 96 })).not.toBe('');

  // Two unplaced opens: the last one wins and the mark goes when it lands.
  const a = openDocument(unplaced('a', 3));
  const b = openDocument(unplaced('b', 5));
  expect(store().opening).toBe('b');
  await Promise.all([a, b]);
  expect(store().doc.name).toBe('b');
  expect(store().opening).toBeNull();
});

test('a layout that throws clears the mark and keeps the graph', async () => {
  store().addNode('Input', { x: 0, y: 0 });
  const before = store().doc;
  // A node list the layout cannot read (a getter that throws, as a hostile caller might pass).
  const broken = unplaced('broken', 2);
  Object.defineProperty(broken.nodes[1], 'id', { get() { throw new Error('boom'); } });
  await expect(openDocument(broken)).rejects.toThrow('boom');
  expect(store().opening).toBeNull();
  expect(store().doc).toBe(before);
});
