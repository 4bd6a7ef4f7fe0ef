/**
 * Turns the document and its compile result into React Flow nodes and edges, reusing the
 * previous object for everything that did not change. React Flow skips nodes whose object is
 * the same as last time, and our node component is memoised on its data, so an edit re-renders
 * only the nodes whose face changed, and a drag only the node being dragged.
 */
import type { Edge, Node } from '@xyflow/react';
import { layerByType, visibleText, type CompileResult, type GraphDocument, type NodeResult, type Category } from '@/graph-compiler';
import { edgeIds } from './graph';
import { compactShape, groupThousands } from './format';

/** Everything the node face shows; only primitives, so that equality is cheap. */
export interface LayerNodeData extends Record<string, unknown> {
  type: string;
  name: string;
  category: Category | 'unknown';
  summary: string;
  /** `28×28×6`, or null when the shape is unknown. */
  shape: string | null;
  /** Total parameter count with separators, or null for layers without weights. */
  params: string | null;
  severity: 'error' | 'warning' | null;
  /** The node's diagnostics, one per line (the badge's tooltip). */
  messages: string;
  problemCount: number;
  /** Number of input handles: 0 for Input, one per incoming tensor plus a free one for merges. */
  inputs: number;
  isOutput: boolean;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

export interface ShapeEdgeData extends Record<string, unknown> {
  /** The tensor shape carried, e.g. `13×13×32`, or null when unknown. */
  label: string | null;
  /** True when the compiler left the edge out (self-loop, into an Input, missing node). */
  dropped: boolean;
  /** x of a vertical lane that takes the edge around the nodes in its way, or null for a direct curve. */
  lane: number | null;
}

export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

export interface Measured {
  width: number;
  height: number;
}

const ORIGIN = { x: 0, y: 0 };
/** Size assumed for a node the canvas has not measured yet (close to LayerNode's real size). */
export const DEFAULT_SIZE: Measured = { width: 216, height: 92 };

function nodeData(type: string, name: string, r: NodeResult | undefined, incoming: number, isOutput: boolean): LayerNodeData {
  const spec = layerByType(type);
  const diagnostics = r?.diagnostics ?? [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const count = r?.paramCount;
  const total = count ? count.trainable + count.nonTrainable : 0;
  const hasWeights = !!spec?.countParams;
  return {
    type,
    name: visibleText(name),
    category: spec?.category ?? 'unknown',
    summary: r?.summary ?? '',
    shape: r?.outputShape ? compactShape(r.outputShape) : null,
    params: hasWeights ? (count ? groupThousands(total) : '?') : null,
    severity: errors.length ? 'error' : diagnostics.length ? 'warning' : null,
    messages: diagnostics.map((d) => d.message).join('\n'),
    problemCount: diagnostics.length,
    inputs: !spec ? 1 : spec.arity.max === 0 ? 0 : spec.arity.max > 1 ? Math.max(incoming + 1, spec.arity.min) : 1,
    isOutput,
  };
}

interface DataMemo {
  type: string;
  name: string;
  incoming: number;
  isOutput: boolean;
  data: LayerNodeData;
}

/** Node faces by compile result: a drag (no recompile) rebuilds none of them. */
const dataMemo = new WeakMap<NodeResult, DataMemo>();

function memoData(type: string, name: string, r: NodeResult | undefined, incoming: number, isOutput: boolean): LayerNodeData {
  const hit = r && dataMemo.get(r);
  if (hit && hit.type === type && hit.name === name && hit.incoming === incoming && hit.isOutput === isOutput) return hit.data;
  const data = nodeData(type, name, r, incoming, isOutput);
  if (r) dataMemo.set(r, { type, name, incoming, isOutput, data });
  return data;
}

function sameData(a: LayerNodeData, b: LayerNodeData): boolean {
  if (a === b) return true;
  for (const k in a) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * A memo of the last derivation. One instance per canvas; `nodes()` and `edges()` return the
 * same array when nothing they show changed.
 */
export class FlowCache {
  private nodeById = new Map<string, LayerFlowNode>();
  private nodeList: LayerFlowNode[] = [];
  private edgeById = new Map<string, ShapeFlowEdge>();
  private edgeList: ShapeFlowEdge[] = [];
  private lastEdgesKey: unknown[] = [];

  nodes(doc: GraphDocument, result: CompileResult, selected: ReadonlySet<string>, measured: ReadonlyMap<string, Measured>): LayerFlowNode[] {
    const incoming = new Map<string, number>();
    const outgoing = new Set<string>();
    for (const e of doc.edges) {
      incoming.set(e.target, (incoming.get(e.target) ?? 0) + 1);
      outgoing.add(e.source);
    }
    const next = new Map<string, LayerFlowNode>();
    const list: LayerFlowNode[] = [];
    let changed = doc.nodes.length !== this.nodeList.length;
    for (const n of doc.nodes) {
      if (next.has(n.id)) continue; // a duplicate id: the compiler ignores it, and so do we
      const data = memoData(n.type, n.label || n.id, result.nodes[n.id], incoming.get(n.id) ?? 0, !outgoing.has(n.id));
      const position = n.position ?? ORIGIN;
      const isSelected = selected.has(n.id);
      const m = measured.get(n.id);
      const prev = this.nodeById.get(n.id);
      let node: LayerFlowNode;
      if (
        prev && prev.selected === isSelected && prev.measured === m &&
        prev.position.x === position.x && prev.position.y === position.y && sameData(prev.data, data)
      ) {
        node = prev;
      } else {
        node = { id: n.id, type: 'layer', position, data, selected: isSelected };
        if (m) node.measured = m;
      }
      if (this.nodeList[list.length] !== node) changed = true;
      next.set(n.id, node);
      list.push(node);
    }
    this.nodeById = next;
    if (changed) this.nodeList = list;
    return this.nodeList;
  }

  edges(doc: GraphDocument, result: CompileResult, selected: ReadonlySet<string>, measured: ReadonlyMap<string, Measured>): ShapeFlowEdge[] {
    const key = [doc.edges, doc.nodes, result, selected, measured];
    if (key.every((k, i) => k === this.lastEdgesKey[i])) return this.edgeList;
    this.lastEdgesKey = key;

    const types = new Map(doc.nodes.map((n) => [n.id, n.type]));
    const used = new Set(result.edges);
    const ids = edgeIds(doc.edges);
    const lanes = routeLanes(doc, measured);
    const slots = new Map<string, number>();
    const next = new Map<string, ShapeFlowEdge>();
    const list: ShapeFlowEdge[] = [];
    let changed = doc.edges.length !== this.edgeList.length;
    doc.edges.forEach((e, i) => {
      if (!types.has(e.source) || !types.has(e.target)) return;
      const slot = slots.get(e.target) ?? 0;
      slots.set(e.target, slot + 1);
      const targetSpec = layerByType(types.get(e.target)!);
      const targetHandle = targetSpec && targetSpec.arity.max > 1 ? `in-${slot}` : 'in';
      const out = result.nodes[e.source]?.outputShape;
      const label = out ? compactShape(out) : null;
      const dropped = !used.has(e);
      const id = ids[i];
      const isSelected = selected.has(id);
      const lane = lanes.get(i) ?? null;
      const prev = this.edgeById.get(id);
      const edge: ShapeFlowEdge =
        prev && prev.source === e.source && prev.target === e.target && prev.targetHandle === targetHandle &&
        prev.selected === isSelected && prev.data?.label === label && prev.data?.dropped === dropped && prev.data?.lane === lane
          ? prev
          : { id, source: e.source, target: e.target, sourceHandle: 'out', targetHandle, type: 'shape', selected: isSelected, data: { label, dropped, lane } };
      if (this.edgeList[list.length] !== edge) changed = true;
      next.set(id, edge);
      list.push(edge);
    });
    this.edgeById = next;
    if (changed) this.edgeList = list;
    return this.edgeList;
  }
}

interface Box {
  id: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const LANE_GAP = 28;

/**
 * Lanes for edges that would otherwise be drawn through other nodes (a skip connection beside
 * a chain of layers): the edge leaves its source, runs down a vertical lane just clear of the
 * nodes in the way, and enters its target. Computed from the current positions, so moving a
 * node re-routes the edges around it. Edge index → lane x.
 */
export function routeLanes(doc: GraphDocument, measured: ReadonlyMap<string, Measured>): Map<number, number> {
  const lanes = new Map<number, number>();
  const boxes = new Map<string, Box>();
  for (const n of doc.nodes) {
    const p = n.position ?? ORIGIN;
    const m = measured.get(n.id) ?? DEFAULT_SIZE;
    boxes.set(n.id, { id: n.id, x0: p.x, y0: p.y, x1: p.x + m.width, y1: p.y + m.height });
  }
  let all: Box[] | null = null;
  doc.edges.forEach((e, i) => {
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t || s === t) return;
    const sx = (s.x0 + s.x1) / 2;
    const sy = s.y1;
    const tx = (t.x0 + t.x1) / 2;
    const ty = t.y0;
    if (ty < sy + 12) {
      // The target is not below the source (a wrapped column, or a node moved up): run up the
      // gap between the two nodes, or around their right side when they overlap.
      const apart = t.x0 > s.x1 + 12 || t.x1 < s.x0 - 12;
      lanes.set(i, apart ? (tx > sx ? (s.x1 + t.x0) / 2 : (t.x1 + s.x0) / 2) : Math.max(s.x1, t.x1) + LANE_GAP);
      return;
    }
    if (ty - sy < 120) return; // adjacent layers: a direct curve is clear
    all ??= [...boxes.values()];
    const lo = Math.min(sx, tx);
    const hi = Math.max(sx, tx);
    const blockers = all.filter((b) => b !== s && b !== t && b.y1 > sy + 8 && b.y0 < ty - 8 && b.x1 > lo - 12 && b.x0 < hi + 12);
    if (blockers.length === 0) return;
    const right = Math.max(...blockers.map((b) => b.x1)) + LANE_GAP;
    const left = Math.min(...blockers.map((b) => b.x0)) - LANE_GAP;
    const mid = (sx + tx) / 2;
    lanes.set(i, right - mid <= mid - left ? right : left);
  });
  return lanes;
}
