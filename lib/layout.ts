/**
 * Automatic layout with ELK's layered algorithm, top to bottom, keeping the document's order
 * where it can. elkjs (about 1.5 MB) is loaded on first use, never with the page, and runs in a
 * Web Worker in the browser.
 */
import type { GraphDocument, Position } from '@/graph-compiler';
import { DEFAULT_SIZE, type Measured } from './flow';

/** `limitMs`: how long the layout may take; only ELK in a worker can be stopped, so only it keeps to it. */
type Elk = { layout(graph: unknown, limitMs?: number): Promise<ElkResult> };

/** ELK did not finish within its time (see ELK_TIME_LIMIT_MS); its worker was stopped. */
export class LayoutTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`The layout took longer than ${limitMs / 1000} s.`);
  }
}
interface ElkResult {
  children?: { id: string; x?: number; y?: number }[];
}

let elkPromise: Promise<Elk> | null = null;

/** ELK on this thread: in Node (tests, benchmarks) and wherever a worker cannot start. */
function elkHere(): Promise<Elk> {
  return import('elkjs/lib/elk.bundled.js').then((m) => {
    const ELK = (m as unknown as { default: new () => Elk }).default;
    const elk = new ELK();
    // On this thread nothing can stop ELK midway: the time limit does not apply.
    return { layout: (graph) => elk.layout(graph) };
  });
}

/** ELK in a Web Worker (lib/layout.worker.ts), so that a big layout never freezes the page. */
function elkInWorker(): Elk {
  let worker: Worker | null = null;
  let fallback: Promise<Elk> | null = null;
  let next = 0;
  const pending = new Map<number, { resolve(r: ElkResult | null): void; reject(e: Error): void }>();
  // The worker could not start or run: lay out on this thread from now on (waiting calls retry).
  const giveUp = () => {
    worker?.terminate();
    worker = null;
    fallback ??= elkHere();
    for (const p of pending.values()) p.resolve(null);
    pending.clear();
  };
  const start = () => {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'layerboard-layout' });
    worker.onmessage = (e: MessageEvent<{ id: number; result?: ElkResult; error?: string }>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id);
      if (e.data.error !== undefined) p.reject(new Error(e.data.error));
      else p.resolve(e.data.result!);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      giveUp();
    };
  };
  // A layout past its time: the worker is stopped (ELK cannot be interrupted otherwise), every
  // call waiting on it fails the same way, and the next call starts a new worker.
  const stop = (limitMs: number) => {
    worker?.terminate();
    worker = null;
    for (const p of pending.values()) p.reject(new LayoutTimeout(limitMs));
    pending.clear();
  };
  return {
    async layout(graph, limitMs) {
      if (!worker && !fallback) {
        try {
          start();
        } catch {
          giveUp();
        }
      }
      if (worker) {
        const id = ++next;
        const result = await new Promise<ElkResult | null>((resolve, reject) => {
          const timer = limitMs ? setTimeout(() => stop(limitMs), limitMs) : undefined;
          pending.set(id, {
            resolve: (r) => (clearTimeout(timer), resolve(r)),
            reject: (e) => (clearTimeout(timer), reject(e)),
          });
          worker!.postMessage({ id, graph });
        });
        if (result) return result;
      }
      return (await fallback!).layout(graph);
    },
  };
}

function loadElk(): Promise<Elk> {
  elkPromise ??= typeof window !== 'undefined' && typeof Worker !== 'undefined' ? Promise.resolve(elkInWorker()) : elkHere();
  return elkPromise;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '40',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/**
 * Long chains wrap into side-by-side columns, so that a network fits a landscape screen instead
 * of becoming one column too tall to read. ELK's wrapping grows much faster than linearly, and
 * a big graph cannot be read whole anyway, so big graphs are laid out in one flow. A short
 * chain (fewer than WRAP_MIN_LAYERS layers from input to output) fits a screen as one straight
 * column, which reads better than wrapped columns joined by long looping edges.
 */
const WRAPPING_OPTIONS = {
  'elk.layered.wrapping.strategy': 'MULTI_EDGE',
  'elk.layered.wrapping.additionalEdgeSpacing': '24',
};
const WRAP_MAX_NODES = 80;
export const WRAP_MIN_LAYERS = 15;

/** Nodes on the longest path through the graph (every node when there is a cycle). */
export function longestChain(ids: readonly string[], edges: readonly { source: string; target: string }[]): number {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (!out.has(e.source) || !indegree.has(e.target)) continue;
    out.get(e.source)!.push(e.target);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  const depth = new Map<string, number>();
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (const id of queue) depth.set(id, 1);
  let longest = 0;
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    const d = depth.get(id)!;
    longest = Math.max(longest, d);
    for (const t of out.get(id)!) {
      depth.set(t, Math.max(depth.get(t) ?? 0, d + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) queue.push(t);
    }
  }
  return queue.length < ids.length ? ids.length : longest;
}

export interface LayoutOptions {
  /** Node sizes the canvas measured; others get the default size. */
  sizes?: ReadonlyMap<string, Measured>;
  /** Width / height the layout should aim for (the canvas's shape). */
  aspectRatio?: number;
  grid?: number;
  /** Told when the layout is not ELK's (a big graph, or ELK failed), in words for the person. */
  onNote?: (message: string) => void;
  /** How long ELK may work in its worker before the cheap layout is used instead (ELK_TIME_LIMIT_MS). */
  timeLimitMs?: number;
}

/**
 * ELK's time in its worker. Its work grows much faster than the graph on densely connected
 * ones (391 nodes each joined to the 4 before: about a minute), which is too long to wait for
 * a picture; past this the worker is stopped and the cheap layout places the graph. The
 * 500-node residual graph takes 1–4 s.
 */
export const ELK_TIME_LIMIT_MS = 10_000;

/**
 * Past this many nodes or edges, ELK's work (and its recursion) grows too fast for a page: the
 * cheap layered layout below places the graph in linear time instead.
 */
export const ELK_MAX_NODES = 400;
export const ELK_MAX_EDGES = 2000;
/** Layers per column of the cheap layout before it starts another column beside it. */
const CHEAP_ROWS_PER_COLUMN = 40;

/**
 * A layered layout without ELK, linear in nodes and edges: each node's layer is its longest
 * path from a source (Kahn's order; nodes on cycles go one layer below the rest), nodes of a
 * layer stand side by side in document order, and past `CHEAP_ROWS_PER_COLUMN` layers the flow
 * continues in a new column to the right, so that a 5,000-layer chain is not one column.
 */
export function layeredPositions(doc: GraphDocument, options: LayoutOptions = {}): Map<string, Position> {
  const { sizes = new Map<string, Measured>(), grid = 16 } = options;
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const n of doc.nodes) {
    if (typeof n?.id !== 'string' || seen.has(n.id)) continue;
    seen.add(n.id);
    ids.push(n.id);
  }
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of doc.edges) {
    if (!e || e.source === e.target || !out.has(e.source) || !indegree.has(e.target)) continue;
    out.get(e.source)!.push(e.target);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  const layer = new Map<string, number>();
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (const id of queue) layer.set(id, 0);
  let deepest = 0;
  for (let i = 0; i < queue.length; i++) {
    const d = layer.get(queue[i])!;
    deepest = Math.max(deepest, d);
    for (const t of out.get(queue[i])!) {
      layer.set(t, Math.max(layer.get(t) ?? 0, d + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) queue.push(t);
    }
  }
  for (const id of ids) if (indegree.get(id)! > 0) layer.set(id, deepest + 1);

  const rows: string[][] = [];
  for (const id of ids) (rows[layer.get(id)!] ??= []).push(id);
  const snap = (v: number) => Math.round(v / grid) * grid;
  const positions = new Map<string, Position>();
  const gapX = 40;
  const gapY = 56;
  let columnX = 0;
  let columnWidth = 0;
  let y = 0;
  rows.forEach((row, r) => {
    if (r > 0 && r % CHEAP_ROWS_PER_COLUMN === 0) {
      columnX += columnWidth + 4 * gapX;
      columnWidth = 0;
      y = 0;
    }
    let x = columnX;
    let height = 0;
    for (const id of row ?? []) {
      const size = sizes.get(id) ?? DEFAULT_SIZE;
      positions.set(id, { x: snap(x), y: snap(y) });
      x += size.width + gapX;
      height = Math.max(height, size.height);
    }
    columnWidth = Math.max(columnWidth, x - columnX);
    y += height + gapY;
  });
  return positions;
}

/**
 * Positions for every node of the document, snapped to the grid: ELK for graphs up to
 * `ELK_MAX_NODES` nodes and `ELK_MAX_EDGES` edges, the cheap layered layout past them, when
 * ELK in its worker runs past its time, and whenever ELK fails (it can overflow its stack);
 * `onNote` is told which and why.
 */
export async function layoutPositions(doc: GraphDocument, options: LayoutOptions = {}): Promise<Map<string, Position>> {
  const { sizes = new Map<string, Measured>(), aspectRatio = 1.6, grid = 16 } = options;
  if (doc.nodes.length > ELK_MAX_NODES || doc.edges.length > ELK_MAX_EDGES) {
    options.onNote?.(`This graph has ${doc.nodes.length.toLocaleString('en-US')} layers and ${doc.edges.length.toLocaleString('en-US')} connections, too many for the full automatic layout, so it is laid out quickly in rows.`);
    return layeredPositions(doc, options);
  }
  try {
    return await elkPositions(doc, sizes, aspectRatio, grid, options.timeLimitMs ?? ELK_TIME_LIMIT_MS);
  } catch (e) {
    if (e instanceof LayoutTimeout) {
      options.onNote?.(`The automatic layout took longer than ${e.limitMs / 1000} s on this graph (${doc.nodes.length.toLocaleString('en-US')} layers, ${doc.edges.length.toLocaleString('en-US')} connections), so it is laid out quickly in rows instead.`);
      return layeredPositions(doc, options);
    }
    options.onNote?.(`The automatic layout failed (${e instanceof Error && /call stack/i.test(e.message) ? 'the graph is too deep for it' : 'an error in the layout engine'}), so the graph is laid out quickly in rows instead.`);
    return layeredPositions(doc, options);
  }
}

async function elkPositions(doc: GraphDocument, sizes: ReadonlyMap<string, Measured>, aspectRatio: number, grid: number, limitMs: number): Promise<Map<string, Position>> {
  const elk = await loadElk();
  const ids = new Set<string>();
  const children = [];
  for (const n of doc.nodes) {
    if (ids.has(n.id)) continue;
    ids.add(n.id);
    const size = sizes.get(n.id) ?? DEFAULT_SIZE;
    children.push({ id: n.id, width: size.width, height: size.height });
  }
  const edges = doc.edges
    .filter((e) => e.source !== e.target && ids.has(e.source) && ids.has(e.target))
    .map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] }));
  const layoutOptions = {
    ...LAYOUT_OPTIONS,
    ...(children.length <= WRAP_MAX_NODES && longestChain([...ids], doc.edges) >= WRAP_MIN_LAYERS ? WRAPPING_OPTIONS : {}),
    'elk.aspectRatio': String(Math.min(Math.max(aspectRatio, 0.5), 4)),
  };
  const out = await elk.layout({ id: 'root', layoutOptions, children, edges }, limitMs);
  const snap = (v: number) => Math.round(v / grid) * grid;
  const positions = new Map<string, Position>();
  for (const c of out.children ?? []) positions.set(c.id, { x: snap(c.x ?? 0), y: snap(c.y ?? 0) });
  return positions;
}

/** The document with every node placed by `layoutPositions`. */
export async function layoutDocument(doc: GraphDocument, options?: LayoutOptions): Promise<GraphDocument> {
  const positions = await layoutPositions(doc, options);
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: p } : n;
    }),
  };
}
