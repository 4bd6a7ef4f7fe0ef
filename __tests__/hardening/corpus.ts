/**
 * The fuzz corpus: graph documents as a hostile user makes them. Seeds are the fixtures and the
 * templates; each case is a seed with a few mutations drawn by a seeded generator (so a failure
 * names a case that can be replayed), plus small graphs built from scratch by fast-check.
 * Generators are cheap on purpose: the suite runs tens of thousands of cases on a slow machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { LAYERS, type GraphDocument } from '@/graph-compiler';
import { TEMPLATES } from '@/lib/templates';
import { mulberry32 } from '@/graph-compiler/datasets/rng';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** mulberry32, the project's seeded generator. */
export const rng = mulberry32;

export type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Names an attacker tries for ids, keys and labels. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

const STRINGS = [
  '', ' ', 'x', 'in', 'dense', '"', "'", '\\', '\n', '"""', "'''", '\u0000', '\u2028', '\u2029', '{}', '{0}', '%s', '${x}',
  '<b>bold</b>', '<script>alert(1)</script>', '\u202eevil\u202c', '\u2066iso\u2069', '😀', '\ud800', 'a'.repeat(300),
  ...PROTO_NAMES,
];

const TYPES = LAYERS.map((l) => l.type);

/** Values a param, a field or a key may be given. Numbers past 2^53 and tiny ones included. */
function hostileValue(r: Rand, depth = 0): unknown {
  switch (int(r, depth > 2 ? 9 : 12)) {
    case 0: return pick(r, [0, -1, 1, 2, 3, 7, 28, 64, 1000, 2.5, -0, 1e-320, 1e9, 2 ** 31, 2 ** 40, 2 ** 53, 2 ** 60, Number.MAX_SAFE_INTEGER]);
    case 1: return pick(r, STRINGS);
    case 2: return pick(r, [true, false, null]);
    case 3: return pick(r, ['relu', 'softmax', 'same', 'valid', 'step', 'linear']);
    case 4: return [int(r, 40) + 1, int(r, 40) + 1];
    case 5: return [int(r, 64) + 1, int(r, 64) + 1, int(r, 8) + 1];
    case 6: return pick(r, [[], [0], [-1], [1, -1], [2 ** 40, 2 ** 40], [1e9, 1e9, 3], [[1, 1], [1, 1]]]);
    case 7: return int(r, 100);
    case 8: return pick(r, TYPES);
    case 9: return [hostileValue(r, depth + 1), hostileValue(r, depth + 1)];
    case 10: return { [pick(r, STRINGS)]: hostileValue(r, depth + 1) };
    default: return Object.fromEntries([[pick(r, PROTO_NAMES), hostileValue(r, depth + 1)]]);
  }
}

/** Sets `key` as an own property even when it is `__proto__` (as JSON.parse would). */
function put(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

type Obj = Record<string, unknown>;
type Mutation = (doc: Obj, r: Rand) => void;

const nodesOf = (doc: Obj) => (Array.isArray(doc.nodes) ? (doc.nodes as unknown[]) : []);
const edgesOf = (doc: Obj) => (Array.isArray(doc.edges) ? (doc.edges as unknown[]) : []);
const someNode = (doc: Obj, r: Rand): Obj | null => {
  const nodes = nodesOf(doc);
  const n = nodes.length ? nodes[int(r, nodes.length)] : null;
  return n && typeof n === 'object' && !Array.isArray(n) ? (n as Obj) : null;
};
const ids = (doc: Obj) => nodesOf(doc).map((n) => (n && typeof n === 'object' ? (n as Obj).id : undefined)).filter((x): x is string => typeof x === 'string');

const MUTATIONS: Mutation[] = [
  // params
  (doc, r) => {
    const n = someNode(doc, r);
    if (!n) return;
    const params = (n.params && typeof n.params === 'object' && !Array.isArray(n.params) ? n.params : (n.params = {})) as Obj;
    const keys = Object.keys(params);
    const key = keys.length && r() < 0.7 ? pick(r, keys) : pick(r, [...STRINGS.slice(0, 6), 'units', 'filters', 'kernelSize', 'shape', 'rate', 'activation', 'axis', 'targetShape', ...PROTO_NAMES]);
    put(params, key, hostileValue(r));
  },
  (doc, r) => {
    const n = someNode(doc, r);
    if (n && n.params && typeof n.params === 'object') delete (n.params as Obj)[pick(r, Object.keys(n.params as Obj).concat('units'))];
  },
  (doc, r) => {
    const n = someNode(doc, r);
    if (n) n.params = pick(r, [null, [], 'x', 3, undefined, {}]);
  },
  // types and ids
  (doc, r) => {
    const n = someNode(doc, r);
    if (n) n.type = r() < 0.8 ? pick(r, TYPES) : hostileValue(r);
  },
  (doc, r) => {
    const n = someNode(doc, r);
    if (!n) return;
    const old = n.id;
    const id = r() < 0.5 ? pick(r, PROTO_NAMES) : r() < 0.5 ? pick(r, ids(doc).concat('x')) : hostileValue(r);
    n.id = id;
    // Usually keep the edges pointing at the node, so that the rest of the graph stays valid.
    if (typeof id === 'string' && r() < 0.8) {
      for (const e of edgesOf(doc)) {
        if (e && typeof e === 'object') {
          const edge = e as Obj;
          if (edge.source === old) edge.source = id;
          if (edge.target === old) edge.target = id;
        }
      }
    }
  },
  (doc, r) => {
    const n = someNode(doc, r);
    if (n) n.label = r() < 0.8 ? pick(r, STRINGS) : hostileValue(r);
  },
  (doc, r) => {
    const n = someNode(doc, r);
    if (n) n.position = pick(r, [{ x: 1, y: 2 }, { x: -1e6, y: 3.3 }, { x: 'a', y: 0 }, null, [1, 2], { x: 2 ** 60, y: 0 }]);
  },
  (doc, r) => {
    const n = someNode(doc, r);
    if (n) put(n, pick(r, [...PROTO_NAMES, 'extra', 'tyep', 'parmas']), hostileValue(r));
  },
  // nodes
  (doc, r) => {
    const nodes = nodesOf(doc);
    if (nodes.length) nodes.splice(int(r, nodes.length), 1);
  },
  (doc, r) => {
    const nodes = nodesOf(doc);
    if (nodes.length) nodes.push(structuredClone(nodes[int(r, nodes.length)]));
  },
  (doc, r) => {
    nodesOf(doc).push(r() < 0.5 ? hostileValue(r) : { id: pick(r, STRINGS), type: pick(r, TYPES), params: {} });
  },
  // edges
  (doc, r) => {
    const all = ids(doc);
    if (all.length) edgesOf(doc).push({ source: pick(r, all), target: pick(r, all) });
  },
  (doc, r) => {
    const edges = edgesOf(doc);
    if (edges.length) edges.splice(int(r, edges.length), 1);
  },
  (doc) => {
    const edges = edgesOf(doc);
    if (edges.length > 1) edges.reverse();
  },
  (doc, r) => {
    const edges = edgesOf(doc);
    if (edges.length) {
      const e = edges[int(r, edges.length)];
      if (e && typeof e === 'object') {
        const edge = e as Obj;
        // Close a cycle: the edge goes back.
        edges.push({ source: edge.target, target: edge.source });
      }
    }
  },
  (doc, r) => {
    edgesOf(doc).push(r() < 0.5 ? hostileValue(r) : { source: pick(r, STRINGS), target: pick(r, PROTO_NAMES) });
  },
  (doc, r) => {
    const edges = edgesOf(doc);
    if (edges.length) {
      const e = edges[int(r, edges.length)];
      if (e && typeof e === 'object') put(e, pick(r, [...PROTO_NAMES, 'sourceHandle', 'id']), hostileValue(r));
    }
  },
  // the envelope
  (doc, r) => {
    put(doc, pick(r, [...PROTO_NAMES, 'madeWith', 'nodez', 'x'.repeat(200)]), hostileValue(r));
  },
  (doc, r) => {
    doc.name = r() < 0.8 ? pick(r, STRINGS) : hostileValue(r);
  },
  (doc, r) => {
    const t = (doc.training && typeof doc.training === 'object' && !Array.isArray(doc.training) ? doc.training : (doc.training = {})) as Obj;
    put(t, pick(r, ['dataset', 'optimizer', 'learningRate', 'batchSize', 'epochs', 'labelColumn', 'seed', 'noise', 'samples', 'earlyStopping', 'task', ...PROTO_NAMES]), hostileValue(r));
  },
  (doc, r) => {
    const key = pick(r, ['format', 'version', 'nodes', 'edges', 'training', 'name']);
    if (r() < 0.2) put(doc, key, hostileValue(r));
  },
];

/** One mutated copy of `seed`: between 1 and 4 mutations. */
export function mutate(seed: GraphDocument, r: Rand): unknown {
  const doc = structuredClone(seed) as unknown as Obj;
  const count = 1 + int(r, 4);
  for (let i = 0; i < count; i++) pick(r, MUTATIONS)(doc, r);
  return doc;
}

/**
 * A text-level mutation of a document's JSON: a number replaced by 1e999, a byte-order mark, a
 * truncation, a changed character, or a key replaced by `__proto__`. The result may not parse.
 */
export function mutateText(text: string, r: Rand): string {
  switch (int(r, 5)) {
    case 0: return text.replace(/(?<=[:[,])\d+(?=[,\]}])/, pick(r, ['1e999', '-1e999', '1e308', '9007199254740993', '0.1e-400']));
    case 1: return `\uFEFF${text}`;
    case 2: return text.slice(0, int(r, text.length));
    case 3: {
      const at = int(r, text.length);
      return text.slice(0, at) + pick(r, ['"', '{', ']', ',', '0', '\\', 'e']) + text.slice(at + 1);
    }
    default: return text.replace(/"(id|type|params|label)"/, '"__proto__"');
  }
}

/** Graph documents of the fixtures and templates: the mutation seeds, smallest first. */
export function seeds(): GraphDocument[] {
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as GraphDocument)
    .filter((d) => d.format === 'layerboard.graph');
  return [...fixtures, ...TEMPLATES.map((t) => t.doc)].sort((a, b) => a.nodes.length - b.nodes.length);
}

/** Seeds weighted toward small graphs (cheap), the large ones still drawn now and then. */
export function pickSeed(all: GraphDocument[], r: Rand): GraphDocument {
  const small = all.filter((d) => d.nodes.length <= 40);
  return r() < 0.9 && small.length ? pick(r, small) : pick(r, all);
}

const layerNode = fc.record({
  type: fc.constantFrom(...TYPES),
  params: fc.dictionary(fc.constantFrom('units', 'filters', 'kernelSize', 'shape', 'rate', 'activation', 'axis', 'targetShape', 'padding', 'strides', ...PROTO_NAMES),
    fc.oneof(fc.integer({ min: -2, max: 70 }), fc.constantFrom('relu', 'same', 'softmax', 'valid'), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 4 })), { maxKeys: 3 }),
});

/** Small graphs from scratch: 1–12 nodes of any type, random edges (cycles and all). */
export const arbitraryGraph: fc.Arbitrary<GraphDocument> = fc.record({
  input: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
  layers: fc.array(layerNode, { maxLength: 11 }),
  edges: fc.array(fc.tuple(fc.nat(12), fc.nat(12)), { maxLength: 16 }),
  ids: fc.array(fc.constantFrom(...PROTO_NAMES, 'a', 'b'), { maxLength: 3 }),
}).map(({ input, layers, edges, ids: special }) => {
  const nodes = [{ id: 'in', type: 'Input', params: { shape: input } }, ...layers.map((l, i) => ({ id: special[i] ?? `n${i}`, ...l }))];
  return {
    format: 'layerboard.graph',
    version: 1,
    nodes,
    edges: [
      ...nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })),
      ...edges.filter(([s, t]) => s < nodes.length && t < nodes.length).map(([s, t]) => ({ source: nodes[s].id, target: nodes[t].id })),
    ],
  } as GraphDocument;
});
