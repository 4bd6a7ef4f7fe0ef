/**
 * Pass 3, order: drops duplicate ids and unusable edges (each with its diagnostic), sorts the
 * nodes topologically (Kahn, in document order), names every cycle and finds the nodes that
 * no Input feeds.
 */
import { diag } from '../diagnostics';
import type { Diagnostic, GraphEdge } from '../types';
import { clip, MAX_INPUTS_PER_NODE } from './limits';
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
      diagnostics.push(diag('duplicate-id', `Two nodes have the id "${clip(n.node.id)}"; the one at position ${i + 1} is left out. Give every node its own id.`, n.node.id));
    } else byId.set(n.node.id, n);
  });

  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const id of byId.keys()) {
    incoming.set(id, []);
    outgoing.set(id, []);
  }
  const edges: GraphEdge[] = [];
  const overfull = new Map<string, number>();
  for (const e of rawEdges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) {
      const missing = [!s && `"${clip(e.source)}"`, !t && `"${clip(e.target)}"`].filter(Boolean).join(' and ');
      diagnostics.push(diag('edge-missing-node', `The edge "${clip(e.source)}" → "${clip(e.target)}" names ${missing}, which ${!s && !t ? 'are not nodes' : 'is not a node'} of this graph; the edge is left out.`, s ? e.source : t ? e.target : undefined));
      continue;
    }
    if (e.source === e.target) {
      diagnostics.push(diag('self-loop', `${nodeTitle(t.node.type, t.name)} is connected to itself; a layer cannot take its own output as input. Remove that edge.`, e.target));
      continue;
    }
    if (t.node.type === 'Input') {
      diagnostics.push(diag('input-has-inputs', `Input "${clip(t.name)}" has an incoming edge from "${clip(s.name)}"; an Input is where data enters and takes no input. Remove the edge or use another layer.`, e.target));
      continue;
    }
    const ins = incoming.get(e.target)!;
    if (ins.length >= MAX_INPUTS_PER_NODE) {
      overfull.set(e.target, (overfull.get(e.target) ?? 0) + 1);
      continue;
    }
    edges.push(e);
    ins.push(e.source);
    outgoing.get(e.source)!.push(e.target);
  }

  for (const [id, extra] of overfull) {
    const t = byId.get(id)!;
    diagnostics.push(diag('too-many-inputs', `${nodeTitle(t.node.type, t.name)} has ${(MAX_INPUTS_PER_NODE + extra).toLocaleString('en-US')} incoming edges; a layer takes at most ${MAX_INPUTS_PER_NODE}, so the last ${extra.toLocaleString('en-US')} are left out.`, id));
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

/** Names shown in a cycle message before the count. */
const CYCLE_NAMES_SHOWN = 5;

/**
 * One `cycle` diagnostic per cycle (a strongly connected component of the nodes Kahn's sort
 * left over), on its first node in document order, naming a loop through it: its first
 * `CYCLE_NAMES_SHOWN` nodes, and how many nodes the cycle has. Linear: Tarjan's algorithm with
 * an explicit stack, then one walk per component.
 */
function nameCycles(left: Set<string>, outgoing: Map<string, string[]>, byId: Map<string, ValidatedNode>): Diagnostic[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  const components: string[][] = [];
  let counter = 0;
  for (const root of left) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const succ = outgoing.get(top.id)!;
      if (top.next < succ.length) {
        const t = succ[top.next++];
        if (!left.has(t)) continue;
        if (!index.has(t)) {
          index.set(t, counter);
          low.set(t, counter++);
          stack.push(t);
          onStack.add(t);
          work.push({ id: t, next: 0 });
        } else if (onStack.has(t)) low.set(top.id, Math.min(low.get(top.id)!, index.get(t)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.id)!));
      }
      if (low.get(top.id) === index.get(top.id)) {
        const members: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.set(id, components.length);
          members.push(id);
        } while (id !== top.id);
        components.push(members);
      }
    }
  }

  const out: { first: number; d: Diagnostic }[] = [];
  const position = new Map<string, number>();
  let p = 0;
  for (const id of byId.keys()) position.set(id, p++);
  components.forEach((members, c) => {
    if (members.length < 2) return; // downstream of a cycle, not on one (self-loops are dropped before)
    const start = members.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
    // Walk inside the component until a node repeats: that is a loop through (or near) start.
    const seen = new Map<string, number>();
    const path: string[] = [];
    let cur = start;
    while (!seen.has(cur)) {
      seen.set(cur, path.length);
      path.push(cur);
      cur = outgoing.get(cur)!.find((t) => component.get(t) === c)!;
    }
    const loop = path.slice(seen.get(cur)!);
    const name = (id: string) => `"${clip(byId.get(id)!.name, 40)}"`;
    const shown = loop.length <= CYCLE_NAMES_SHOWN
      ? [...loop, loop[0]].map(name).join(' → ')
      : `${loop.slice(0, CYCLE_NAMES_SHOWN).map(name).join(' → ')} → … (${loop.length.toLocaleString('en-US')} layers in this loop)`;
    const head = byId.get(loop[0])!;
    const others = members.length > loop.length ? ` ${members.length.toLocaleString('en-US')} layers are caught in it in all.` : '';
    out.push({
      first: position.get(loop[0])!,
      d: diag('cycle', `${nodeTitle(head.node.type, head.name)} is on a cycle: ${shown}. Data cannot flow around a loop; remove one of these edges.${others}`, loop[0]),
    });
  });
  return out.sort((a, b) => a.first - b.first).map((x) => x.d);
}
