/**
 * Pass 3, order: drops duplicate ids and unusable edges (each with its diagnostic), sorts the
 * nodes topologically (Kahn, in document order), names every cycle and finds the nodes that
 * no Input feeds.
 */
import { diag } from '../diagnostics';
import type { Diagnostic, GraphEdge } from '../types';
import { nodeTitle, type ValidatedNode } from './validate';

export interface Ordered {
  /** Unique nodes by id, first occurrence wins. */
  byId: Map<string, ValidatedNode>;
  /** Acyclic nodes in topological order, then the nodes on or after a cycle. */
  order: string[];
  /** Incoming node ids per node, in edge order. */
  incoming: Map<string, string[]>;
  outgoing: Map<string, string[]>;
  edges: GraphEdge[];
  /** Nodes on or downstream of a cycle: no shape can be inferred for them. */
  cyclic: Set<string>;
  /** Nodes reached from some Input. */
  fed: Set<string>;
  diagnostics: Diagnostic[];
}

export function orderGraph(nodes: ValidatedNode[], rawEdges: GraphEdge[]): Ordered {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, ValidatedNode>();
  nodes.forEach((n, i) => {
    if (byId.has(n.node.id)) {
      diagnostics.push(diag('duplicate-id', `Two nodes have the id "${n.node.id}"; the one at position ${i + 1} is left out. Give every node its own id.`, n.node.id));
    } else byId.set(n.node.id, n);
  });

  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const id of byId.keys()) {
    incoming.set(id, []);
    outgoing.set(id, []);
  }
  const edges: GraphEdge[] = [];
  for (const e of rawEdges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) {
      const missing = [!s && `"${e.source}"`, !t && `"${e.target}"`].filter(Boolean).join(' and ');
      diagnostics.push(diag('edge-missing-node', `The edge "${e.source}" → "${e.target}" names ${missing}, which ${!s && !t ? 'are not nodes' : 'is not a node'} of this graph; the edge is left out.`, s ? e.source : t ? e.target : undefined));
      continue;
    }
    if (e.source === e.target) {
      diagnostics.push(diag('self-loop', `${nodeTitle(t.node.type, t.name)} is connected to itself; a layer cannot take its own output as input. Remove that edge.`, e.target));
      continue;
    }
    if (t.node.type === 'Input') {
      diagnostics.push(diag('input-has-inputs', `Input "${t.name}" has an incoming edge from "${s.name}"; an Input is where data enters and takes no input. Remove the edge or use another layer.`, e.target));
      continue;
    }
    edges.push(e);
    incoming.get(e.target)!.push(e.source);
    outgoing.get(e.source)!.push(e.target);
  }

  // Kahn's algorithm, seeded in document order so that the order is stable.
  const indeg = new Map<string, number>();
  for (const [id, ins] of incoming) indeg.set(id, ins.length);
  const order: string[] = [];
  for (const [id, d] of indeg) if (d === 0) order.push(id);
  for (let i = 0; i < order.length; i++) {
    for (const t of outgoing.get(order[i])!) {
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) order.push(t);
    }
  }
  const cyclic = new Set<string>();
  if (order.length < byId.size) {
    const left = new Set([...byId.keys()].filter((id) => indeg.get(id)! > 0));
    for (const id of left) cyclic.add(id);
    diagnostics.push(...nameCycles(left, outgoing, byId));
    for (const id of byId.keys()) if (left.has(id)) order.push(id);
  }

  const fed = new Set<string>();
  const queue = [...byId.values()].filter((n) => n.node.type === 'Input').map((n) => n.node.id);
  for (const id of queue) fed.add(id);
  for (let i = 0; i < queue.length; i++) {
    for (const t of outgoing.get(queue[i])!) {
      if (!fed.has(t)) {
        fed.add(t);
        queue.push(t);
      }
    }
  }
  return { byId, order, incoming, outgoing, edges, cyclic, fed, diagnostics };
}

/** One `cycle` diagnostic per node on each cycle, the message naming the loop. */
function nameCycles(left: Set<string>, outgoing: Map<string, string[]>, byId: Map<string, ValidatedNode>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const set = new Set(left);
  const strip = () => {
    // Remove nodes that cannot be on a cycle: no predecessor or no successor left in the set.
    let changed = true;
    while (changed) {
      changed = false;
      const hasPred = new Set<string>();
      for (const id of set) for (const t of outgoing.get(id)!) if (set.has(t)) hasPred.add(t);
      for (const id of [...set]) {
        if (!hasPred.has(id) || !outgoing.get(id)!.some((t) => set.has(t))) {
          set.delete(id);
          changed = true;
        }
      }
    }
  };
  strip();
  while (set.size > 0) {
    const start = set.values().next().value as string;
    const seen = new Map<string, number>();
    const path: string[] = [];
    let cur = start;
    while (!seen.has(cur)) {
      seen.set(cur, path.length);
      path.push(cur);
      cur = outgoing.get(cur)!.find((t) => set.has(t))!;
    }
    const loop = path.slice(seen.get(cur)!);
    const names = [...loop, loop[0]].map((id) => `"${byId.get(id)!.name}"`).join(' → ');
    for (const id of loop) {
      out.push(diag('cycle', `${nodeTitle(byId.get(id)!.node.type, byId.get(id)!.name)} is on a cycle: ${names}. Data cannot flow around a loop; remove one of these edges.`, id));
      set.delete(id);
    }
    strip();
  }
  return out;
}
