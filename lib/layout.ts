/**
 * Automatic layout with ELK's layered algorithm, top to bottom, keeping the document's order
 * where it can. elkjs (about 1.5 MB) is loaded on first use, never with the page, and runs in a
 * Web Worker in the browser.
 */
import type { GraphDocument, Position } from '@/graph-compiler';
import { DEFAULT_SIZE, type Measured } from './flow';

type Elk = { layout(graph: unknown): Promise<ElkResult> };
interface ElkResult {
  children?: { id: string; x?: number; y?: number }[];
}

let elkPromise: Promise<Elk> | null = null;

/** ELK on this thread: in Node (tests, benchmarks) and wherever a worker cannot start. */
function elkHere(): Promise<Elk> {
  return import('elkjs/lib/elk.bundled.js').then((m) => {
    const ELK = (m as unknown as { default: new () => Elk }).default;
    return new ELK();
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
  return {
    async layout(graph) {
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
          pending.set(id, { resolve, reject });
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
}

/** Positions for every node of the document, snapped to the grid. */
export async function layoutPositions(doc: GraphDocument, options: LayoutOptions = {}): Promise<Map<string, Position>> {
  const { sizes = new Map<string, Measured>(), aspectRatio = 1.6, grid = 16 } = options;
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
  const out = await elk.layout({ id: 'root', layoutOptions, children, edges });
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
