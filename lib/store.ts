/**
 * The editor's one store: the graph document, its compile result, the selection, the history
 * and the clipboard, with every action inside `create` (as React Flow's own store does).
 *
 * The document is immutable: an action builds a new document that shares every untouched node
 * and params object, and the compiler (which caches per params object) runs again only when
 * something other than positions changed. History entries are whole document snapshots, which
 * costs one reference per step thanks to that sharing.
 */
import { create } from 'zustand';
import { compile, layerByType, type CompileResult, type GraphDocument, type ParamDecls, type Position, type TrainingBlock } from '@/graph-compiler';
import {
  connectionProblem,
  edgeIds,
  emptyDocument,
  extractFragment,
  insertEdge,
  pasteFragment,
  removeElements,
  snakeName,
  uniqueId,
  updateNode,
  withPositions,
  type Fragment,
} from './graph';

/** Edits with the same key within this time make one undo step (typing "128" is one edit). */
const COALESCE_MS = 1000;
const HISTORY_LIMIT = 200;
/** Three grid steps: a copy pasted without a pointer sits visibly apart from its original. */
const PASTE_OFFSET = 48;

export type ToastTone = 'info' | 'error';

export interface Toast {
  id: number;
  text: string;
  tone: ToastTone;
}

export interface EditorState {
  doc: GraphDocument;
  result: CompileResult;
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  past: GraphDocument[];
  future: GraphDocument[];
  /** Key and time of the last recorded edit, for coalescing. */
  lastEdit: { key: string; at: number } | null;
  /** The document before the current drag began, or null when no drag is in progress. */
  moveBase: GraphDocument | null;
  clipboard: Fragment | null;
  /** Pastes since the last copy: each one is offset a step further. */
  pasteCount: number;
  /** Where the last paste went, when it went to the pointer. */
  lastPasteAt: Position | null;
  /** Ask the canvas to centre a node (the nonce makes a repeated request count). */
  focusRequest: { id: string; nonce: number } | null;
  /** Ask the canvas to fit the whole graph in view. */
  fitRequest: number;
  toasts: Toast[];
  /**
   * What is being opened while its layout is worked out (a template's or a link's name), or
   * null. Meanwhile edits are refused with a message rather than lost when the layout lands.
   */
  opening: string | null;

  /** Marks a document as being laid out (or done, with null). */
  setOpening(what: string | null): void;
  /** Replaces the document (opening a template, a file or a saved graph). */
  replaceDocument(doc: GraphDocument, options?: { history?: boolean }): void;
  renameDocument(name: string): void;
  /** Replaces the document's `training` block (one undo step per burst of edits). */
  setTraining(block: TrainingBlock): void;
  /** Adds a layer with its required params filled in; returns its id ('' while a document is being laid out). */
  addNode(type: string, position: Position, connectFrom?: string): string;
  /** Connects `source → target`; a refused connection shows its reason and returns false. */
  connect(source: string, target: string, slot?: number): boolean;
  updateParam(id: string, key: string, value: unknown): void;
  renameNode(id: string, label: string): void;
  deleteElements(nodeIds: Iterable<string>, edgeIds?: Iterable<string>): void;
  deleteSelection(): void;
  beginMove(): void;
  moveNodes(moves: ReadonlyMap<string, Position>): void;
  endMove(): void;
  /** Sets positions in one undo step (automatic layout). */
  setPositions(positions: ReadonlyMap<string, Position>): void;
  setSelection(nodes: Iterable<string>, edges?: Iterable<string>): void;
  selectAll(): void;
  copySelection(): void;
  /**
   * Pastes the clipboard: with its top-left corner at `at` (the pointer over the canvas), else
   * one step further down and right than the last paste, clear of the originals.
   */
  paste(at?: Position | null): void;
  duplicateSelection(): void;
  undo(): void;
  redo(): void;
  focusNode(id: string): void;
  requestFit(): void;
  toast(text: string, tone?: ToastTone): void;
  dismissToast(id: number): void;
}

const EMPTY: ReadonlySet<string> = new Set();
let toastId = 0;

/** Params of a new node: each required param gets the starting value its layer module declares. */
export function defaultParams(type: string): Record<string, unknown> {
  const spec = layerByType(type);
  if (!spec) return {};
  const params: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(spec.params as ParamDecls)) {
    if (decl.required && decl.initial !== undefined) params[key] = JSON.parse(JSON.stringify(decl.initial));
  }
  return params;
}

function initialState(doc: GraphDocument = emptyDocument()) {
  return {
    doc,
    result: compile(doc),
    selectedNodes: EMPTY,
    selectedEdges: EMPTY,
    past: [] as GraphDocument[],
    future: [] as GraphDocument[],
    lastEdit: null,
    moveBase: null,
    clipboard: null,
    pasteCount: 0,
    lastPasteAt: null,
    focusRequest: null,
    fitRequest: 0,
    toasts: [] as Toast[],
    opening: null as string | null,
  };
}

function keepExisting(ids: ReadonlySet<string>, doc: GraphDocument): ReadonlySet<string> {
  if (ids.size === 0) return ids;
  const present = new Set(doc.nodes.map((n) => n.id));
  const kept = [...ids].filter((id) => present.has(id));
  return kept.length === ids.size ? ids : new Set(kept);
}

export const useEditorStore = create<EditorState>()((set, get) => {
  /**
   * Records an edit: the current document goes on the undo stack (unless this edit continues
   * the previous one with the same coalescing key), the redo stack is cleared, and the
   * compiler runs unless only positions changed.
   */
  const commit = (next: GraphDocument, options: { key?: string; recompile?: boolean; extra?: Partial<EditorState> } = {}): boolean => {
    const s = get();
    if (next === s.doc) return false;
    if (waitForLayout()) return false;
    const now = Date.now();
    const coalesce = !!options.key && s.lastEdit?.key === options.key && now - s.lastEdit.at < COALESCE_MS;
    const past = coalesce ? s.past : [...s.past, s.doc].slice(-HISTORY_LIMIT);
    set({
      doc: next,
      result: options.recompile === false ? s.result : compile(next),
      past,
      future: [],
      lastEdit: options.key ? { key: options.key, at: now } : null,
      ...options.extra,
    });
    return true;
  };

  /** True (with a message) while a document is being laid out: edits wait until it is open. */
  const waitForLayout = (): boolean => {
    const opening = get().opening;
    if (opening === null) return false;
    toast(`Opening ${opening ? `“${opening.length > 60 ? `${opening.slice(0, 59)}…` : opening}”` : 'the graph'}: it is being laid out, edit it in a moment.`);
    return true;
  };

  const toast = (text: string, tone: ToastTone = 'info') => {
    const id = ++toastId;
    set({ toasts: [...get().toasts.filter((t) => t.text !== text), { id, text, tone }].slice(-4) });
    const timer = setTimeout(() => get().dismissToast(id), tone === 'error' ? 4500 : 3000);
    // In Node (tests) a pending toast must not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
  };

  return {
    ...initialState(),

    setOpening(what) {
      if (get().opening !== what) set({ opening: what });
    },

    replaceDocument(doc, options = {}) {
      const s = get();
      const past = options.history === false ? [] : [...s.past, s.doc].slice(-HISTORY_LIMIT);
      set({
        doc,
        result: compile(doc),
        past,
        future: [],
        lastEdit: null,
        moveBase: null,
        selectedNodes: EMPTY,
        selectedEdges: EMPTY,
        fitRequest: s.fitRequest + 1,
      });
    },

    renameDocument(name) {
      const doc = get().doc;
      if ((doc.name ?? '') === name) return;
      commit({ ...doc, name }, { key: 'doc-name', recompile: false });
    },

    setTraining(block) {
      const doc = get().doc;
      if (JSON.stringify(doc.training ?? {}) === JSON.stringify(block)) return;
      commit({ ...doc, training: block as Record<string, unknown> }, { key: 'training' });
    },

    addNode(type, position, connectFrom) {
      const doc = get().doc;
      const id = uniqueId(snakeName(type), new Set(doc.nodes.map((n) => n.id)));
      let next: GraphDocument = { ...doc, nodes: [...doc.nodes, { id, type, params: defaultParams(type), position }] };
      if (connectFrom && !connectionProblem(next, connectFrom, id)) next = insertEdge(next, connectFrom, id);
      return commit(next, { extra: { selectedNodes: new Set([id]), selectedEdges: EMPTY } }) ? id : '';
    },

    connect(source, target, slot) {
      const doc = get().doc;
      const problem = connectionProblem(doc, source, target);
      if (problem) {
        toast(problem, 'error');
        return false;
      }
      commit(insertEdge(doc, source, target, slot));
      return true;
    },

    updateParam(id, key, value) {
      const doc = get().doc;
      const next = updateNode(doc, id, (n) => {
        const params = { ...n.params };
        if (value === undefined) delete params[key];
        else params[key] = value;
        return { ...n, params };
      });
      commit(next, { key: `param:${id}:${key}` });
    },

    renameNode(id, label) {
      const doc = get().doc;
      const clean = label.trim();
      const next = updateNode(doc, id, (n) => {
        if ((n.label ?? '') === clean) return n;
        const copy = { ...n };
        if (clean && clean !== n.id) copy.label = clean;
        else delete copy.label;
        return copy;
      });
      commit(next, { key: `label:${id}` });
    },

    deleteElements(nodeIds, removeEdgeIds = []) {
      const s = get();
      const nodes = new Set(nodeIds);
      const edges = new Set(removeEdgeIds);
      const next = removeElements(s.doc, nodes, edges);
      if (next.nodes.length === s.doc.nodes.length && next.edges.length === s.doc.edges.length) return;
      commit(next, {
        extra: { selectedNodes: keepExisting(s.selectedNodes, next), selectedEdges: EMPTY },
      });
    },

    deleteSelection() {
      const s = get();
      s.deleteElements(s.selectedNodes, s.selectedEdges);
    },

    beginMove() {
      if (get().opening !== null) return;
      if (!get().moveBase) set({ moveBase: get().doc });
    },

    moveNodes(moves) {
      const s = get();
      const next = withPositions(s.doc, moves);
      if (next === s.doc) return;
      if (s.moveBase && s.opening === null) set({ doc: next });
      else commit(next, { key: 'nudge', recompile: false });
    },

    endMove() {
      const s = get();
      const base = s.moveBase;
      if (!base) return;
      if (base === s.doc) {
        set({ moveBase: null });
        return;
      }
      set({ moveBase: null, past: [...s.past, base].slice(-HISTORY_LIMIT), future: [], lastEdit: null });
    },

    setPositions(positions) {
      commit(withPositions(get().doc, positions), { recompile: false });
    },

    setSelection(nodes, edges = []) {
      const n = new Set(nodes);
      const e = new Set(edges);
      const s = get();
      const same = (a: ReadonlySet<string>, b: Set<string>) => a.size === b.size && [...b].every((x) => a.has(x));
      if (same(s.selectedNodes, n) && same(s.selectedEdges, e)) return;
      set({ selectedNodes: n.size ? n : EMPTY, selectedEdges: e.size ? e : EMPTY });
    },

    selectAll() {
      const doc = get().doc;
      get().setSelection(doc.nodes.map((n) => n.id), edgeIds(doc.edges));
    },

    copySelection() {
      const s = get();
      if (s.selectedNodes.size === 0) return;
      set({ clipboard: extractFragment(s.doc, s.selectedNodes), pasteCount: 0 });
      toast(`Copied ${s.selectedNodes.size} layer${s.selectedNodes.size === 1 ? '' : 's'}`);
    },

    paste(at) {
      const s = get();
      if (!s.clipboard || s.clipboard.nodes.length === 0) return;
      // Each paste lands one step further than the last, as in drawing tools; at the pointer
      // when there is one (a second paste at the same place steps on from there).
      const step = s.pasteCount + 1;
      const left = Math.min(...s.clipboard.nodes.map((n) => n.position?.x ?? 0));
      const top = Math.min(...s.clipboard.nodes.map((n) => n.position?.y ?? 0));
      const again = !!at && !!s.lastPasteAt && at.x === s.lastPasteAt.x && at.y === s.lastPasteAt.y;
      const offset = at
        ? { x: at.x - left + (again ? PASTE_OFFSET * s.pasteCount : 0), y: at.y - top + (again ? PASTE_OFFSET * s.pasteCount : 0) }
        : { x: PASTE_OFFSET * step, y: PASTE_OFFSET * step };
      const { doc, ids } = pasteFragment(s.doc, s.clipboard, offset);
      commit(doc, { extra: { selectedNodes: new Set(ids), selectedEdges: EMPTY, pasteCount: step, lastPasteAt: at ?? null } });
    },

    duplicateSelection() {
      const s = get();
      if (s.selectedNodes.size === 0) return;
      const { doc, ids } = pasteFragment(s.doc, extractFragment(s.doc, s.selectedNodes), { x: PASTE_OFFSET, y: PASTE_OFFSET });
      commit(doc, { extra: { selectedNodes: new Set(ids), selectedEdges: EMPTY } });
    },

    undo() {
      const s = get();
      if (s.moveBase) s.endMove();
      const { past, doc, future, selectedNodes } = get();
      if (past.length === 0 || waitForLayout()) return;
      const prev = past[past.length - 1];
      set({
        doc: prev,
        result: compile(prev),
        past: past.slice(0, -1),
        future: [doc, ...future],
        lastEdit: null,
        selectedNodes: keepExisting(selectedNodes, prev),
        selectedEdges: EMPTY,
      });
    },

    redo() {
      const { past, doc, future, selectedNodes } = get();
      if (future.length === 0 || waitForLayout()) return;
      const next = future[0];
      set({
        doc: next,
        result: compile(next),
        past: [...past, doc],
        future: future.slice(1),
        lastEdit: null,
        selectedNodes: keepExisting(selectedNodes, next),
        selectedEdges: EMPTY,
      });
    },

    focusNode(id) {
      const s = get();
      if (!s.doc.nodes.some((n) => n.id === id)) return;
      set({
        selectedNodes: new Set([id]),
        selectedEdges: EMPTY,
        focusRequest: { id, nonce: (s.focusRequest?.nonce ?? 0) + 1 },
      });
    },

    requestFit() {
      set({ fitRequest: get().fitRequest + 1 });
    },

    toast,

    dismissToast(id) {
      const toasts = get().toasts;
      if (toasts.some((t) => t.id === id)) set({ toasts: toasts.filter((t) => t.id !== id) });
    },
  };
});

/** Puts the store back to a blank editor (tests). */
export function resetEditorStore(doc?: GraphDocument): void {
  useEditorStore.setState(initialState(doc));
}
