import { compile } from '@/graph-compiler';
import { resetEditorStore, useEditorStore } from '@/lib/store';
import { templateById } from '@/lib/templates';

const state = () => useEditorStore.getState();
const lenet = () => {
  const doc = templateById('lenet5')!.doc;
  return { ...doc, nodes: doc.nodes.map((n, i) => ({ ...n, position: { x: 0, y: i * 120 } })) };
};

describe('editor store', () => {
  beforeEach(() => resetEditorStore());

  it('adds layers with usable defaults, connects them and compiles on every change', () => {
    const input = state().addNode('Input', { x: 0, y: 0 });
    const dense = state().addNode('Dense', { x: 0, y: 120 });
    expect([input, dense]).toEqual(['input_1', 'dense_1']);
    expect(state().selectedNodes).toEqual(new Set(['dense_1']));
    expect(state().connect(input, dense)).toBe(true);
    expect(state().result.ok).toBe(true);
    // Dense acts on the last axis of the default [28, 28, 1] input (with a warning).
    expect(state().result.totals.totalParams).toBe(1 * 10 + 10);
    expect(state().result.diagnostics.map((d) => d.code)).toEqual(['dense-on-image']);
  });

  it('refuses an invalid connection with a toast', () => {
    state().replaceDocument(lenet());
    expect(state().connect('f6', 'c1')).toBe(false);
    expect(state().toasts.at(-1)?.text).toMatch(/loop/);
    expect(state().connect('c1', 'input')).toBe(false);
    expect(state().doc.edges).toHaveLength(9);
  });

  it('undoes and redoes every kind of change, param edits and moves included', () => {
    state().replaceDocument(lenet(), { history: false });
    const start = state().doc;
    state().updateParam('c1', 'filters', 8);
    expect(state().result.totals.totalParams).not.toBe(61_706);
    state().beginMove();
    state().moveNodes(new Map([['c1', { x: 300, y: 40 }]]));
    state().moveNodes(new Map([['c1', { x: 320, y: 48 }]]));
    state().endMove();
    state().renameNode('c1', 'first conv');
    state().deleteElements(['s2']);
    expect(state().doc.nodes).toHaveLength(9);

    state().undo();
    expect(state().doc.nodes).toHaveLength(10);
    state().undo();
    expect(state().doc.nodes.find((n) => n.id === 'c1')!.label).toBeUndefined();
    state().undo();
    expect(state().doc.nodes.find((n) => n.id === 'c1')!.position).toEqual({ x: 0, y: 240 });
    state().undo();
    expect(state().doc).toBe(start);
    expect(state().result.totals.totalParams).toBe(61_706);
    state().redo();
    expect(state().doc.nodes.find((n) => n.id === 'c1')!.params.filters).toBe(8);
  });

  it('makes one undo step of quick edits to the same field', () => {
    state().replaceDocument(lenet(), { history: false });
    state().updateParam('f5', 'units', 1);
    state().updateParam('f5', 'units', 12);
    state().updateParam('f5', 'units', 128);
    state().undo();
    expect(state().doc.nodes.find((n) => n.id === 'f5')!.params.units).toBe(120);
  });

  it('edits params immutably, so the compiler re-validates only that node', () => {
    state().replaceDocument(lenet(), { history: false });
    const before = state().doc;
    state().updateParam('f6', 'units', 64);
    const after = state().doc;
    expect(after.nodes.find((n) => n.id === 'f5')).toBe(before.nodes.find((n) => n.id === 'f5'));
    expect(after.nodes.find((n) => n.id === 'f6')!.params).not.toBe(before.nodes.find((n) => n.id === 'f6')!.params);
    expect(state().result.totals.totalParams).toBe(compile(after).totals.totalParams);
    state().updateParam('f6', 'activation', undefined);
    expect('activation' in state().doc.nodes.find((n) => n.id === 'f6')!.params).toBe(false);
  });

  it('copies, pastes and duplicates a selection with the edges inside it', () => {
    state().replaceDocument(lenet(), { history: false });
    state().setSelection(['c3', 's4']);
    state().copySelection();
    state().paste();
    expect(state().doc.nodes).toHaveLength(12);
    expect(state().doc.edges.at(-1)).toEqual({ source: 'conv2d_1', target: 'average_pooling2d_1' });
    expect(state().selectedNodes).toEqual(new Set(['conv2d_1', 'average_pooling2d_1']));
    state().duplicateSelection();
    expect(state().doc.nodes).toHaveLength(14);
    expect(state().doc.edges).toHaveLength(11);
    state().undo();
    state().undo();
    expect(state().doc.nodes).toHaveLength(10);
  });

  it('pastes copies clear of the originals, one step further each time, or at the pointer', () => {
    state().replaceDocument(lenet(), { history: false });
    state().setSelection(['c3', 's4']);
    state().copySelection();
    const pos = (id: string) => state().doc.nodes.find((n) => n.id === id)!.position;
    const c3 = pos('c3')!;
    state().paste();
    expect(pos('conv2d_1')).toEqual({ x: c3.x + 48, y: c3.y + 48 });
    state().paste();
    expect(pos('conv2d_2')).toEqual({ x: c3.x + 96, y: c3.y + 96 });
    // At the pointer: the copy's top-left corner goes there, keeping its layout.
    state().paste({ x: 640, y: 320 });
    expect(pos('conv2d_3')).toEqual({ x: 640, y: 320 });
    expect(pos('average_pooling2d_3')!.y - pos('conv2d_3')!.y).toBe(pos('s4')!.y - c3.y);
    // Again at the same place: one step on, not on top of the last copy.
    state().paste({ x: 640, y: 320 });
    expect(pos('conv2d_4')).toEqual({ x: 640 + 48 * 3, y: 320 + 48 * 3 });
  });

  it('does not recompile for a move', () => {
    state().replaceDocument(lenet(), { history: false });
    const result = state().result;
    state().moveNodes(new Map([['c1', { x: 10, y: 10 }]]));
    expect(state().result).toBe(result);
    expect(state().past).toHaveLength(1);
  });

  it('keeps training settings in the document, undoably, and reports a bad one', () => {
    state().replaceDocument(lenet(), { history: false });
    const before = state().doc;
    expect(before.training).toEqual({ dataset: 'mnist', epochs: 3 });
    state().setTraining({ ...before.training, dataset: 'spiral', epochs: 20 });
    expect(state().doc.training).toEqual({ dataset: 'spiral', epochs: 20 });
    expect(state().doc.nodes).toBe(before.nodes);
    state().setTraining({ dataset: 'spiral', epochs: 20 });
    expect(state().past).toHaveLength(1); // the same block again is no edit
    state().undo();
    expect(state().doc).toBe(before);

    state().setTraining({ epochs: 0 });
    const bad = state().result.diagnostics.find((d) => d.code === 'training-invalid');
    expect(bad?.severity).toBe('error');
    expect(bad?.message).toMatch(/epochs/);
  });

  it('keeps the selection to nodes that still exist after undo', () => {
    state().addNode('Input', { x: 0, y: 0 });
    expect(state().selectedNodes.size).toBe(1);
    state().undo();
    expect(state().selectedNodes.size).toBe(0);
  });
});
