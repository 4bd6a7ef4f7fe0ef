/**
 * Editing operations on a graph document. Every function is pure and returns a new document
 * that shares every untouched node, edge and params object with the old one: the compiler
 * caches its work per params object, and the canvas re-renders only nodes that changed.
 */
import { FORMAT, VERSION, type GraphDocument, type GraphEdge, type GraphNode, type Position } from '@/graph-compiler';

/** A blank version-1 document. */
export function emptyDocument(name = 'Untitled network'): GraphDocument {
  return { format: FORMAT as 'layerboard.graph', version: VERSION as 1, name, nodes: [], edges: [] };
}

/** Keras-style base name of a layer type: `MaxPooling2D` → `max_pooling2d`. */
export function snakeName(type: string): string {
  return type
    .replace(/([0-9])D$/, '$1d')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The first of `base_1`, `base_2`, ... not in `taken` (and adds it there). */
export function uniqueId(base: string, taken: Set<string>): string {
  for (let i = 1; ; i++) {
    const id = `${base}_${i}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/**
 * Stable ids for the document's edges (documents carry none): `source->target`, with `#2`,
 * `#3`, ... for repeated pairs, in document order.
 */
export function edgeIds(edges: readonly GraphEdge[]): string[] {
  const seen = new Map<string, number>();
  return edges.map((e) => {
    const key = `${e.source}->${e.target}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key}#${n}`;
  });
}

const outgoingCache = new WeakMap<readonly GraphEdge[], Map<string, string[]>>();

function outgoingOf(edges: readonly GraphEdge[]): Map<string, string[]> {
  let out = outgoingCache.get(edges);
  if (!out) {
    out = new Map();
    for (const e of edges) {
      const list = out.get(e.source);
      if (list) list.push(e.target);
      else out.set(e.source, [e.target]);
    }
    outgoingCache.set(edges, out);
  }
  return out;
}

/** True when `to` can be reached from `from` by following edges. */
export function reaches(edges: readonly GraphEdge[], from: string, to: string): boolean {
  const out = outgoingOf(edges);
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const t of out.get(id) ?? []) {
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    }
  }
  return false;
}

function nodeName(doc: GraphDocument, id: string): string {
  const n = doc.nodes.find((x) => x.id === id);
  return n?.label || id;
}

/**
 * Why an edge `source → target` can never be valid, or null when it may be connected (the
 * compiler then reports anything else that is wrong, such as a shape mismatch).
 */
export function connectionProblem(doc: GraphDocument, source: string, target: string): string | null {
  if (source === target) return 'A layer cannot take its own output as input.';
  const t = doc.nodes.find((n) => n.id === target);
  if (!t || !doc.nodes.some((n) => n.id === source)) return 'That node no longer exists.';
  if (t.type === 'Input') return `"${nodeName(doc, target)}" is an Input: data enters the network there, so it takes no input.`;
  if (reaches(doc.edges, target, source)) {
    return `That would close a loop: "${nodeName(doc, target)}" already feeds "${nodeName(doc, source)}", and data cannot flow around a cycle.`;
  }
  return null;
}

/**
 * Adds the edge `source → target`. For a merge layer, `slot` is the input position the edge
 * takes (the order of incoming edges is the order of the layer's inputs); by default it goes last.
 */
export function insertEdge(doc: GraphDocument, source: string, target: string, slot?: number): GraphDocument {
  const edge: GraphEdge = { source, target };
  const edges = [...doc.edges];
  if (slot !== undefined) {
    let k = 0;
    for (let i = 0; i < edges.length; i++) {
      if (edges[i].target !== target) continue;
      if (k === slot) {
        edges.splice(i, 0, edge);
        return { ...doc, edges };
      }
      k++;
    }
  }
  edges.push(edge);
  return { ...doc, edges };
}

/** Removes nodes (with their edges) and edges given by id (see `edgeIds`). */
export function removeElements(doc: GraphDocument, nodeIds: ReadonlySet<string>, removeEdgeIds: ReadonlySet<string>): GraphDocument {
  if (nodeIds.size === 0 && removeEdgeIds.size === 0) return doc;
  const ids = edgeIds(doc.edges);
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodeIds.has(n.id)),
    edges: doc.edges.filter((e, i) => !removeEdgeIds.has(ids[i]) && !nodeIds.has(e.source) && !nodeIds.has(e.target)),
  };
}

/** A piece of graph on the clipboard: some nodes and the edges between them. */
export interface Fragment {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The selected nodes and the edges that stay inside the selection. */
export function extractFragment(doc: GraphDocument, nodeIds: ReadonlySet<string>): Fragment {
  return {
    nodes: doc.nodes.filter((n) => nodeIds.has(n.id)),
    edges: doc.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target)),
  };
}

/**
 * Pastes a fragment with fresh ids, shifted by `offset`. Returns the new document and the ids
 * of the pasted nodes (to select them).
 */
export function pasteFragment(doc: GraphDocument, frag: Fragment, offset: Position): { doc: GraphDocument; ids: string[] } {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const map = new Map<string, string>();
  const nodes = frag.nodes.map((n) => {
    const id = uniqueId(snakeName(n.type), taken);
    map.set(n.id, id);
    const p = n.position ?? { x: 0, y: 0 };
    const copy: GraphNode = { ...n, id, params: { ...n.params }, position: { x: p.x + offset.x, y: p.y + offset.y } };
    if (n.label) copy.label = uniqueLabel(n.label, doc.nodes);
    return copy;
  });
  const edges = frag.edges.map((e) => ({ ...e, source: map.get(e.source)!, target: map.get(e.target)! }));
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}

function uniqueLabel(label: string, nodes: readonly GraphNode[]): string {
  const taken = new Set(nodes.map((n) => n.label || n.id));
  const base = label.replace(/ copy( \d+)?$/, '');
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? `${base} copy` : `${base} copy ${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** True when every node has a position (otherwise the document is laid out on opening). */
export function hasPositions(doc: GraphDocument): boolean {
  return doc.nodes.every((n) => n.position && Number.isFinite(n.position.x) && Number.isFinite(n.position.y));
}

/** Replaces the positions of the given nodes; untouched nodes keep their identity. */
export function withPositions(doc: GraphDocument, positions: ReadonlyMap<string, Position>): GraphDocument {
  if (positions.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions.get(n.id);
      return p && (p.x !== n.position?.x || p.y !== n.position?.y) ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  };
}

/** Replaces one node, keeping the others (and their params objects) as they are. */
export function updateNode(doc: GraphDocument, id: string, update: (n: GraphNode) => GraphNode): GraphDocument {
  const i = doc.nodes.findIndex((n) => n.id === id);
  if (i < 0) return doc;
  const nodes = [...doc.nodes];
  nodes[i] = update(nodes[i]);
  return { ...doc, nodes };
}
