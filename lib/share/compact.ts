/**
 * The compact form of a graph document that a share link carries (before deflate). It keeps
 * the design's meaning, not its spelling:
 *
 * - types and param names become indices into the frozen tables of `link-tables.ts`;
 * - params equal to their default are dropped, and `[3, 3]` is written `3`;
 * - ids are front-coded against the previous node's id (`conv2_block1_1_bn` after
 *   `conv2_block1_1_conv` is `[15, "bn"]`), and generated ids (UUIDs, nanoids) are not stored
 *   at all: the node gets `n<index>` back;
 * - edges become, per node, the offsets back to the nodes that feed it, in edge order; the
 *   global edge order is stored only where it differs from "by target, in node order";
 * - positions are rounded to a grid of `POSITION_GRID` px and stored as the offset from the
 *   node's first input (or the previous node), which is nearly constant in a laid-out graph;
 * - labels, the training block and every unknown key (top level, node, edge, param) are kept
 *   as they are.
 *
 * A document that does not fit this model (a node without a string id, duplicate ids, an edge
 * to a node that does not exist, ...) is carried verbatim instead, so that a broken graph
 * shared for help opens exactly as broken as it was.
 *
 * Layout of the compact value, an array whose trailing empty slots are dropped (0 = absent):
 * `[name, types, params, ids, inputs, positions, labels, training, extras]`.
 */
import { layerByType } from '@/graph-compiler/layers';
import { checkParam, formatValue, type ParamSpec } from '@/graph-compiler/params';
import type { GraphDocument, GraphEdge, GraphNode } from '@/graph-compiler/types';
import { LINK_TYPES_V1 } from './link-tables';

/** Positions are rounded to multiples of this many pixels. */
export const POSITION_GRID = 4;

const TOP_KEYS = new Set(['format', 'version', 'name', 'nodes', 'edges', 'training']);
const NODE_KEYS = new Set(['id', 'type', 'params', 'position', 'label']);
const EDGE_KEYS = new Set(['source', 'target']);

const TYPE_INDEX = new Map(LINK_TYPES_V1.map(([type], i) => [type, i]));

type Obj = Record<string, unknown>;

/** Sets a key as an own property, whatever its name (`__proto__` included), as JSON.parse does. */
function put(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A UUID or a nanoid: an id a program made up, which nobody reads and the link need not keep. */
export function isGeneratedId(id: string): boolean {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return true;
  return /^[A-Za-z0-9_-]{21}$/.test(id) && /\d/.test(id) && /[a-z]/.test(id) && /[A-Z]/.test(id);
}

function extras(o: Obj, known: Set<string>): Obj | null {
  const keys = Object.keys(o).filter((k) => !known.has(k));
  return keys.length === 0 ? null : Object.fromEntries(keys.map((k) => [k, o[k]]));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The shortest way to write a valid param value that means the same (`[3, 3]` → `3`). */
function shortest(decl: ParamSpec, value: unknown): unknown {
  if (decl.kind === 'intOrPair' && Array.isArray(value) && value[0] === value[1]) return value[0];
  if (decl.kind === 'padding2d' && Array.isArray(value) && Array.isArray(value[0]) && Array.isArray(value[1])) {
    const [[t, b], [l, r]] = value as [[number, number], [number, number]];
    if (t === b && l === r) return t === l ? t : [t, l];
  }
  if (decl.kind === 'padding2d' && Array.isArray(value) && value[0] === value[1]) return value[0];
  return value;
}

/** Flat `[key, value, ...]` of the params that are not defaults; 0 when there are none. */
function compactParams(type: string, params: Obj): unknown {
  const spec = layerByType(type);
  const table = LINK_TYPES_V1[TYPE_INDEX.get(type) ?? -1]?.[1] ?? [];
  const decls = (spec?.params ?? {}) as Record<string, ParamSpec>;
  const out: unknown[] = [];
  const keys = Object.keys(params);
  const ordered = [...table.filter((k) => keys.includes(k)), ...keys.filter((k) => !table.includes(k))];
  for (const key of ordered) {
    const raw = params[key];
    if (raw === undefined) continue;
    const decl = Object.hasOwn(decls, key) ? decls[key] : undefined;
    let value: unknown = raw;
    if (decl) {
      const checked = checkParam(decl, raw);
      if (checked.ok) {
        if (decl.default !== undefined && sameJson(checked.value, decl.default)) continue;
        value = shortest(decl, raw);
      }
    }
    const index = table.indexOf(key);
    out.push(index >= 0 ? index : key, value);
  }
  return out.length === 0 ? 0 : out;
}

function frontCode(id: string, previous: string): unknown {
  let k = 0;
  while (k < id.length && k < previous.length && id[k] === previous[k]) k++;
  return k === 0 ? id : [k, id.slice(k)];
}

/** Whether a document fits the compact model; otherwise it travels verbatim. */
function compactable(doc: GraphDocument): boolean {
  if (doc.name !== undefined && typeof doc.name !== 'string') return false;
  if (doc.training !== undefined && !isObject(doc.training)) return false;
  const ids = new Set<string>();
  for (const n of doc.nodes as unknown[]) {
    if (!isObject(n) || typeof n.id !== 'string' || n.id === '' || ids.has(n.id) || typeof n.type !== 'string') return false;
    if (n.params !== undefined && !isObject(n.params)) return false;
    if (n.label !== undefined && typeof n.label !== 'string') return false;
    if (n.position !== undefined) {
      const p = n.position;
      if (!isObject(p) || !isFiniteNumber(p.x) || !isFiniteNumber(p.y) || Object.keys(p).length !== 2) return false;
    }
    ids.add(n.id);
  }
  return (doc.edges as unknown[]).every((e) => isObject(e) && typeof e.source === 'string' && typeof e.target === 'string'
    && ids.has(e.source) && ids.has(e.target));
}

function trimmed(slots: unknown[]): unknown[] {
  let end = slots.length;
  while (end > 0 && slots[end - 1] === 0) end--;
  return slots.slice(0, end);
}

/**
 * The compact value of a document: an array, or the document itself when it does not fit the
 * compact model.
 */
export function toCompact(doc: GraphDocument): unknown {
  if (!compactable(doc)) return doc;
  const nodes = doc.nodes;
  const index = new Map(nodes.map((n, i) => [n.id, i]));

  const types = nodes.map((n) => TYPE_INDEX.get(n.type) ?? n.type);
  const params = nodes.map((n) => compactParams(n.type, n.params ?? {}));
  let previous = '';
  const ids = nodes.map((n) => {
    if (isGeneratedId(n.id)) return 0;
    const coded = frontCode(n.id, previous);
    previous = n.id;
    return coded;
  });

  const incoming = nodes.map(() => [] as number[]);
  doc.edges.forEach((e, j) => incoming[index.get(e.target)!].push(j));
  const inputs = incoming.map((js, i) => {
    const offsets = js.map((j) => i - index.get(doc.edges[j].source)!);
    return offsets.length === 1 ? offsets[0] : offsets;
  });
  const canonical = incoming.flat();
  // Where each edge stands in the canonical order (an inverse permutation: linear, not indexOf).
  let order: number[] | null = null;
  if (!canonical.every((j, k) => j === k)) {
    order = new Array<number>(canonical.length);
    canonical.forEach((j, k) => {
      order![j] = k;
    });
  }

  const positions = compactPositions(nodes, incoming.map((js) => (js.length > 0 ? index.get(doc.edges[js[0]].source)! : -1)));

  const labels = nodes.flatMap((n, i) => (n.label !== undefined ? [i, n.label] : []));

  const x: Obj = {};
  const top = extras(doc, TOP_KEYS);
  if (top) x.t = top;
  const nodeExtras = nodes.flatMap((n, i) => {
    const e = extras(n, NODE_KEYS);
    return e ? [i, e] : [];
  });
  if (nodeExtras.length) x.n = nodeExtras;
  const withoutParams = nodes.flatMap((n, i) => (n.params === undefined ? [i] : []));
  if (withoutParams.length) x.q = withoutParams;
  const edgeExtras = doc.edges.flatMap((e, j) => {
    const ex = extras(e, EDGE_KEYS);
    return ex ? [j, ex] : [];
  });
  if (edgeExtras.length) x.e = edgeExtras;
  if (order) x.o = order;
  if (positions.missing.length) x.p = positions.missing;

  return trimmed([
    doc.name ?? 0,
    types,
    params,
    ids,
    inputs,
    positions.deltas.length ? positions.deltas : 0,
    labels.length ? labels : 0,
    doc.training ?? 0,
    Object.keys(x).length ? x : 0,
  ]);
}

/** Grid-rounded positions, as offsets from the first input's position (else the previous node's). */
function compactPositions(nodes: GraphNode[], firstInput: number[]): { deltas: number[]; missing: number[] } {
  if (!nodes.some((n) => n.position)) return { deltas: [], missing: [] };
  const q = nodes.map((n) => n.position && [Math.round(n.position.x / POSITION_GRID), Math.round(n.position.y / POSITION_GRID)]);
  const deltas: number[] = [];
  const missing: number[] = [];
  let last: number[] = [0, 0];
  q.forEach((p, i) => {
    if (!p) {
      missing.push(i);
      return;
    }
    const ref = firstInput[i] >= 0 && firstInput[i] < i && q[firstInput[i]] ? q[firstInput[i]]! : last;
    deltas.push(p[0] - ref[0], p[1] - ref[1]);
    last = p;
  });
  return { deltas, missing };
}

/** What `fromCompact` found: a document-shaped value (not yet checked), or why there is none. */
export type FromCompact = { ok: true; value: unknown } | { ok: false; message: string };

/** How many nodes a compact value (or a verbatim document) holds, without expanding it. */
export function compactNodeCount(value: unknown): number {
  if (Array.isArray(value)) return Array.isArray(value[1]) ? value[1].length : 0;
  if (isObject(value) && Array.isArray(value.nodes)) return value.nodes.length;
  return 0;
}

class Malformed extends Error {}

/**
 * `list[k]` for a whole-number index, else undefined: indexing with an object would convert it
 * to a key through its own `toString`, which a crafted link controls.
 */
function at<T>(list: readonly T[], k: unknown): T | undefined {
  return typeof k === 'number' && Number.isInteger(k) && k >= 0 ? list[k] : undefined;
}

function need(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Malformed(what);
}

/** Expands a compact value back into a document (checked afterwards by the compiler's parser). */
export function fromCompact(value: unknown): FromCompact {
  if (isObject(value)) return { ok: true, value };
  try {
    need(Array.isArray(value), 'expected a compact graph');
    return { ok: true, value: expand(value as unknown[]) };
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, message: `its contents are not a graph (${e.message})` };
    throw e;
  }
}

function expand(c: unknown[]): GraphDocument {
  const [name = 0, types = [], params = [], ids = [], inputs = [], positions = 0, labels = 0, training = 0, x = 0] = c;
  need(Array.isArray(types) && Array.isArray(params) && Array.isArray(ids) && Array.isArray(inputs), 'missing node columns');
  const count = types.length;
  need(params.length === count && ids.length === count && inputs.length === count, 'node columns of different lengths');
  need(name === 0 || typeof name === 'string', 'bad name');
  need(training === 0 || isObject(training), 'bad training block');
  need(x === 0 || isObject(x), 'bad extras');
  const extra = (x || {}) as Obj;

  const typeNames = types.map((t) => {
    if (typeof t === 'string') return t;
    need(at(LINK_TYPES_V1, t) !== undefined, `unknown layer type index ${formatValue(t)}`);
    return LINK_TYPES_V1[t as number][0];
  });

  const explicitIds: (string | null)[] = [];
  let previous = '';
  for (const coded of ids) {
    if (coded === 0) {
      explicitIds.push(null);
      continue;
    }
    let id: string;
    if (typeof coded === 'string') id = coded;
    else {
      need(Array.isArray(coded) && coded.length === 2 && Number.isInteger(coded[0]) && typeof coded[1] === 'string'
        && coded[0] >= 0 && coded[0] <= previous.length, 'bad id');
      id = previous.slice(0, coded[0] as number) + (coded[1] as string);
    }
    explicitIds.push(id);
    previous = id;
  }
  const taken = new Set(explicitIds.filter((id): id is string => id !== null));
  const nodeIds = explicitIds.map((id, i) => {
    if (id !== null) return id;
    let candidate = `n${i + 1}`;
    for (let k = 2; taken.has(candidate); k++) candidate = `n${i + 1}_${k}`;
    taken.add(candidate);
    return candidate;
  });

  const nodes: GraphNode[] = typeNames.map((type, i) => {
    const p = params[i];
    const out: Obj = {};
    if (p !== 0) {
      need(Array.isArray(p) && p.length % 2 === 0, 'bad params');
      const table = at(LINK_TYPES_V1, types[i])?.[1] ?? [];
      for (let k = 0; k < p.length; k += 2) {
        const key = typeof p[k] === 'string' ? (p[k] as string) : at(table, p[k]);
        need(typeof key === 'string', 'bad param index');
        put(out, key, p[k + 1]);
      }
    }
    return { id: nodeIds[i], type, params: out };
  });

  const edgeList: GraphEdge[] = [];
  inputs.forEach((entry, i) => {
    const offsets = typeof entry === 'number' ? [entry] : entry;
    need(Array.isArray(offsets), 'bad inputs');
    for (const off of offsets) {
      need(Number.isInteger(off) && nodes[i - (off as number)] !== undefined, 'an edge to a node that does not exist');
      edgeList.push({ source: nodes[i - (off as number)].id, target: nodes[i].id });
    }
  });
  let edges = edgeList;
  if (extra.o !== undefined) {
    const order = extra.o;
    need(Array.isArray(order) && order.length === edgeList.length && new Set(order).size === order.length
      && order.every((k) => Number.isInteger(k) && edgeList[k as number] !== undefined), 'bad edge order');
    edges = order.map((k) => edgeList[k as number]);
  }

  if (positions !== 0) {
    need(Array.isArray(positions) && positions.every(isFiniteNumber), 'bad positions');
    const missing = new Set(Array.isArray(extra.p) ? (extra.p as number[]) : []);
    const firstInput = inputs.map((entry, i) => {
      const first = typeof entry === 'number' ? entry : (entry as number[])[0];
      return first === undefined ? -1 : i - first;
    });
    const q: (number[] | null)[] = [];
    let last = [0, 0];
    let k = 0;
    nodes.forEach((n, i) => {
      if (missing.has(i)) {
        q.push(null);
        return;
      }
      need(k + 1 < positions.length, 'too few positions');
      const ref = firstInput[i] >= 0 && firstInput[i] < i && q[firstInput[i]] ? q[firstInput[i]]! : last;
      const p = [ref[0] + (positions[k] as number), ref[1] + (positions[k + 1] as number)];
      k += 2;
      q.push(p);
      last = p;
      n.position = { x: p[0] * POSITION_GRID, y: p[1] * POSITION_GRID };
    });
  }

  if (labels !== 0) {
    need(Array.isArray(labels) && labels.length % 2 === 0, 'bad labels');
    for (let k = 0; k < labels.length; k += 2) {
      const node = at(nodes, labels[k]);
      need(node !== undefined && typeof labels[k + 1] === 'string', 'bad label');
      node.label = labels[k + 1] as string;
    }
  }

  if (extra.n !== undefined) {
    need(Array.isArray(extra.n) && extra.n.length % 2 === 0, 'bad node extras');
    for (let k = 0; k < extra.n.length; k += 2) {
      const node = at(nodes, extra.n[k]);
      const more = extra.n[k + 1];
      need(node !== undefined && isObject(more), 'bad node extras');
      for (const [key, v] of Object.entries(more)) if (!NODE_KEYS.has(key)) put(node, key, v);
    }
  }
  if (extra.q !== undefined) {
    need(Array.isArray(extra.q), 'bad node list');
    for (const i of extra.q) {
      const node = at(nodes, i);
      need(node !== undefined, 'bad node list');
      delete (node as Partial<GraphNode>).params;
    }
  }
  if (extra.e !== undefined) {
    need(Array.isArray(extra.e) && extra.e.length % 2 === 0, 'bad edge extras');
    for (let k = 0; k < extra.e.length; k += 2) {
      const edge = at(edges, extra.e[k]);
      const more = extra.e[k + 1];
      need(edge !== undefined && isObject(more), 'bad edge extras');
      const copy: GraphEdge = { ...edge };
      for (const [key, v] of Object.entries(more)) if (!EDGE_KEYS.has(key)) put(copy, key, v);
      edges[extra.e[k] as number] = copy;
    }
  }

  const doc: GraphDocument = {
    format: 'layerboard.graph',
    version: 1,
    ...(name !== 0 ? { name: name as string } : {}),
    nodes,
    edges,
    ...(training !== 0 ? { training: training as Obj } : {}),
  };
  if (extra.t !== undefined) {
    need(isObject(extra.t), 'bad extras');
    for (const [k, v] of Object.entries(extra.t)) if (!TOP_KEYS.has(k)) put(doc, k, v);
  }
  return doc;
}
