/** Opening documents in the editor: layout when positions are missing, then one undo step. */
import type { GraphDocument, Position } from '@/graph-compiler';
import { hasPositions } from './graph';
import { layoutDocument, layoutPositions, type LayoutOptions } from './layout';
import { useEditorStore } from './store';

let layoutContext: () => LayoutOptions = () => ({});

/** Where layouts get node sizes and the canvas's shape from (set by the canvas). */
export function setLayoutContext(context: () => LayoutOptions): void {
  layoutContext = context;
}

let openCount = 0;

/**
 * Opens a document, laying it out first when some node has no position. While the layout is
 * worked out (ELK takes about a second) the store is marked as opening: the canvas says so and
 * edits are refused with a message, so none is made to the old graph only to be replaced when
 * the layout lands. A later open supersedes an earlier one still being laid out.
 */
export async function openDocument(doc: GraphDocument, options: { history?: boolean } = {}): Promise<void> {
  const store = useEditorStore.getState;
  const turn = ++openCount;
  // What the layout has to say (a big graph, ELK failing) is shown once the graph is there.
  const notes: string[] = [];
  let placed = doc;
  if (!hasPositions(doc)) {
    store().setOpening(doc.name ?? '');
    try {
      placed = await layoutDocument(doc, { aspectRatio: layoutContext().aspectRatio, onNote: (m) => notes.push(m) });
    } finally {
      if (turn === openCount) store().setOpening(null);
    }
    if (turn !== openCount) return;
  } else {
    store().setOpening(null);
  }
  store().replaceDocument(placed, options);
  if (doc.nodes.length > SMOOTH_EDITING_NODES) {
    notes.push(`With ${doc.nodes.length.toLocaleString('en-US')} layers, an edit can take up to a second to show (up to about ${SMOOTH_EDITING_NODES.toLocaleString('en-US')} it takes a fraction of one); the figures and checks stay exact.`);
  }
  for (const m of notes) store().toast(m);
}

/** Nodes up to which an edit is painted in a fraction of a second (measured: 0.14–0.30 s at 2,000 nodes). */
export const SMOOTH_EDITING_NODES = 2000;

let tidying: Promise<void> | null = null;

/**
 * Lays out the current document again (one undo step) and fits it in view. The graph stays
 * editable while ELK works: a node moved (or added) meanwhile keeps where the user put it, and
 * only the nodes still where they were when the layout began are moved. A second request while
 * one is being worked out joins it.
 */
export function tidyLayout(): Promise<void> {
  tidying ??= tidy().finally(() => {
    tidying = null;
  });
  return tidying;
}

async function tidy(): Promise<void> {
  const doc = useEditorStore.getState().doc;
  if (doc.nodes.length === 0) return;
  const began = new Map(doc.nodes.map((n) => [n.id, n.position]));
  const positions = await layoutPositions(doc, { ...layoutContext(), onNote: (m) => useEditorStore.getState().toast(m) });
  const now = useEditorStore.getState().doc;
  const untouched = new Map<string, Position>();
  for (const n of now.nodes) {
    const at = positions.get(n.id);
    const then = began.get(n.id);
    if (at && began.has(n.id) && n.position?.x === then?.x && n.position?.y === then?.y) untouched.set(n.id, at);
  }
  const kept = now.nodes.length - untouched.size;
  useEditorStore.getState().setPositions(untouched);
  if (kept > 0 && now !== doc) useEditorStore.getState().toast(`Tidy up left ${kept === 1 ? 'the layer' : `${kept} layers`} you moved or added meanwhile where you put ${kept === 1 ? 'it' : 'them'}.`);
  useEditorStore.getState().requestFit();
}
