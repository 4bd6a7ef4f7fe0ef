/**
 * Property tests with fast-check.
 *
 * 1. Random valid graphs (chains, branches merged by Add and Concatenate, conv/pool stacks
 *    that stay valid, Dense heads, several inputs and outputs) compile without errors, build
 *    as tfjs models and run, and every shape and parameter count equals tfjs's.
 * 2. Random garbage (random JSON for params, nodes and edges, duplicate ids, cycles, odd
 *    keys) never makes the compiler throw, and every diagnostic is well-formed; keys named
 *    like Object.prototype members are handled as any other key.
 * 3. Random DAGs of plausible layers (a layer may take the same tensor twice): whenever the
 *    compiler accepts one, tfjs builds it, runs it and agrees with every figure.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {
  compile, compileUnknown, DIAGNOSTIC_CODES, LAYERS, tfjsName, toTfjsModel,
  type CompileResult, type Diagnostic, type GraphDocument,
} from '@/graph-compiler';
import { DocBuilder } from '../../bench/graphs';

tf.env().set('PROD', true);

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu', 'leakyRelu', 'step'];

const weightCount = (ws: tf.LayerVariable[]) => ws.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

/**
 * Builds the tfjs model of an error-free result, runs it on zeros and checks every figure
 * against tfjs: output shapes (symbolic and computed), each layer's shape and parameter
 * count, and the model's totals.
 */
async function checkAgainstTfjs(result: CompileResult): Promise<void> {
  const model = await toTfjsModel(tf, result);
  try {
    expect(model.inputs.map((x) => x.shape.slice(1))).toEqual(result.inputs.map((id) => result.nodes[id].outputShape));
    expect(model.outputs.map((x) => x.shape.slice(1))).toEqual(result.outputs.map((id) => result.nodes[id].outputShape));
    for (const id of result.order) {
      const node = result.nodes[id];
      const layer = model.getLayer(tfjsName(id));
      expect([id, (layer.outputShape as number[]).slice(1)]).toEqual([id, node.outputShape]);
      expect([id, weightCount(layer.trainableWeights), weightCount(layer.nonTrainableWeights)])
        .toEqual([id, node.paramCount!.trainable, node.paramCount!.nonTrainable]);
    }
    expect(model.countParams()).toBe(result.totals.totalParams);
    expect(weightCount(model.trainableWeights)).toBe(result.totals.trainableParams);
    expect(weightCount(model.nonTrainableWeights)).toBe(result.totals.nonTrainableParams);

    const computed = tf.tidy(() => {
      const ys = model.predict(result.inputs.map((id) => tf.zeros([1, ...result.nodes[id].outputShape!])));
      return (Array.isArray(ys) ? ys : [ys]).map((y) => y.shape.slice(1));
    });
    expect(computed).toEqual(result.outputs.map((id) => result.nodes[id].outputShape));
  } finally {
    model.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Random valid graphs.
//
// A plan is a list of inputs and a list of steps made of plain numbers; `buildGraph` reads them
// as choices (which tensor to extend, which layer, which params), tracking every tensor's
// shape so that it only picks params that keep the graph valid. fast-check shrinks plans to
// short ones, so a failure reads as a small graph.

interface InputPlan { kind: number; a: number; b: number; c: number }
interface StepPlan { pick: number; op: number; a: number; b: number; c: number; d: number }
interface Plan { inputs: InputPlan[]; steps: StepPlan[]; head: number }

const nat = fc.nat({ max: 1_000 });
const planArb: fc.Arbitrary<Plan> = fc.record({
  inputs: fc.array(fc.record({ kind: nat, a: nat, b: nat, c: nat }), { minLength: 1, maxLength: 3 }),
  steps: fc.array(fc.record({ pick: nat, op: nat, a: nat, b: nat, c: nat, d: nat }), { minLength: 1, maxLength: 24 }),
  head: nat,
});

interface Tensor { id: string; shape: number[] }

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
const pickOf = <T>(xs: readonly T[], k: number): T => xs[k % xs.length];

/** tfjs-layers' conv_utils.convOutputLength. */
function convOut(len: number, k: number, s: number, padding: string, dilation = 1): number {
  const span = k + (k - 1) * (dilation - 1);
  return Math.floor(((padding === 'same' ? len : len - span + 1) + s - 1) / s);
}

function buildGraph(plan: Plan): GraphDocument {
  const b = new DocBuilder('n');
  const live: Tensor[] = [];
  const add = (type: string, params: Record<string, unknown>, ins: Tensor[], shape: number[]): Tensor => {
    const t = { id: b.add(type, params, ins.map((x) => x.id)), shape };
    live.push(t);
    return t;
  };

  plan.inputs.forEach((p, i) => {
    const shape = p.kind % 5 < 3 ? [4 + (p.a % 9), 4 + (p.b % 9), 1 + (p.c % 4)]
      : p.kind % 5 === 3 ? [1 + (p.a % 16)]
      : [1 + (p.a % 4), 1 + (p.b % 6)];
    const t = { id: b.add('Input', { shape }, [], `in${i}`), shape };
    live.push(t);
  });

  /** A shape-preserving branch from x, for Add. */
  const sameShapeBranch = (x: Tensor, s: StepPlan): Tensor => {
    if (x.shape.length === 3) {
      return add('Conv2D', { filters: x.shape[2], kernelSize: 1 + 2 * (s.c % 2), padding: 'same', activation: pickOf(ACTIVATIONS, s.d) }, [x], x.shape);
    }
    return add('Dense', { units: x.shape[x.shape.length - 1], activation: pickOf(ACTIVATIONS, s.d) }, [x], x.shape);
  };

  /** A branch from x that changes only the last axis, for Concatenate. */
  const otherChannelsBranch = (x: Tensor, s: StepPlan): Tensor => {
    const units = 1 + (s.c % 5);
    if (x.shape.length === 3) return add('Conv2D', { filters: units, kernelSize: 1 }, [x], [...x.shape.slice(0, 2), units]);
    return add('Dense', { units }, [x], [...x.shape.slice(0, -1), units]);
  };

  for (const s of plan.steps) {
    const x = live[live.length - 1 - (s.pick % Math.min(live.length, 4))];
    const rank = x.shape.length;
    const op = s.op % 14;

    if (op === 0) {
      // Add: other tensors of the same shape, or a shape-preserving branch.
      const same = live.filter((t) => t !== x && t.shape.join() === x.shape.join());
      const others = same.length ? same.slice(-(1 + (s.a % 2))) : [sameShapeBranch(x, s)];
      add('Add', {}, s.b % 2 ? [x, ...others] : [...others, x], x.shape);
      continue;
    }
    if (op === 1) {
      // Concatenate along an axis that every input agrees on elsewhere.
      const axes = Array.from({ length: rank }, (_, i) => i + 1);
      const axis = pickOf(axes, s.a);
      const fits = (t: Tensor) => t !== x && t.shape.length === rank && t.shape.every((d, i) => i === axis - 1 || d === x.shape[i]);
      const partners = live.filter(fits).slice(-(1 + (s.c % 2)));
      const ins = partners.length ? [x, ...partners] : [x, otherChannelsBranch(x, s)];
      const a = partners.length ? axis : rank;
      const written = s.b % 3 === 0 ? a - rank - 1 : a; // sometimes as a negative axis
      const out = [...x.shape];
      out[a - 1] = ins.reduce((sum, t) => sum + t.shape[a - 1], 0);
      add('Concatenate', s.b % 5 === 4 && written === -1 ? {} : { axis: written }, ins, out);
      continue;
    }
    if (op === 2) {
      add('Activation', s.a % 3 === 0 ? { activation: 'leakyRelu', alpha: (s.b % 5) / 10 } : { activation: pickOf(ACTIVATIONS, s.b) }, [x], x.shape);
      continue;
    }
    if (op === 3) {
      add('Dropout', { rate: (s.a % 10) / 10 }, [x], x.shape);
      continue;
    }
    if (op === 4) {
      add('BatchNormalization', s.a % 2 ? {} : { momentum: 0.9, epsilon: 0.01 }, [x], x.shape);
      continue;
    }
    if (op === 5) {
      // Reshape to another factorisation of the same size, sometimes with -1.
      const n = prod(x.shape);
      let target: number[];
      if (s.a % 3 === 0) {
        target = [n];
      } else if (s.a % 3 === 1) {
        const d = pickOf(divisors(n), s.b);
        target = [d, n / d];
      } else {
        const c = pickOf(divisors(n), s.b);
        const h = pickOf(divisors(n / c), s.c);
        target = [h, n / c / h, c];
      }
      const written = s.d % 3 === 0 ? target.map((v, i) => (i === s.c % target.length ? -1 : v)) : target;
      add('Reshape', { targetShape: written }, [x], target);
      continue;
    }

    if (rank === 3) {
      const [h, w, c] = x.shape;
      if (op <= 8) {
        // Conv2D, DepthwiseConv2D, SeparableConv2D with params that keep the output ≥ 1.
        const k: [number, number] = s.a % 4 === 0 ? [1 + (s.a % 3), 1 + (s.b % 3)] : [1 + (s.a % 3), 1 + (s.a % 3)];
        const strides = s.b % 3 === 0 ? 2 : s.b % 7 === 1 ? [1, 2] : 1;
        const dilation = op === 6 && strides === 1 && s.c % 4 === 0 ? 2 : 1;
        const span = (kk: number) => kk + (kk - 1) * (dilation - 1);
        const padding = s.c % 2 === 0 || span(k[0]) > h || span(k[1]) > w ? 'same' : 'valid';
        const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
        const oh = convOut(h, k[0], sh, padding, dilation);
        const ow = convOut(w, k[1], sw, padding, dilation);
        const kernelSize = k[0] === k[1] ? k[0] : k;
        const activation = pickOf(ACTIVATIONS, s.d);
        const useBias = s.d % 5 !== 0;
        if (op === 6) {
          const filters = 1 + (s.d % 8);
          add('Conv2D', { filters, kernelSize, strides, padding, activation, useBias, ...(dilation > 1 ? { dilationRate: dilation } : {}), ...(s.a % 5 === 0 ? { l2: 0.001 } : {}) }, [x], [oh, ow, filters]);
        } else if (op === 7) {
          const depthMultiplier = c <= 4 ? 1 + (s.d % 2) : 1;
          add('DepthwiseConv2D', { kernelSize, strides, padding, depthMultiplier, activation, useBias }, [x], [oh, ow, c * depthMultiplier]);
        } else {
          const filters = 1 + (s.d % 6);
          const depthMultiplier = 1 + (s.a % 2);
          add('SeparableConv2D', { filters, kernelSize, strides, padding, depthMultiplier, activation, useBias }, [x], [oh, ow, filters]);
        }
      } else if (op <= 10) {
        // MaxPooling2D / AveragePooling2D.
        const pool = 1 + (s.a % 3);
        const strides = s.b % 3 === 0 ? undefined : 1 + (s.b % 2);
        const padding = s.c % 2 === 0 || pool > h || pool > w ? 'same' : 'valid';
        const st = strides ?? pool;
        add(op === 9 ? 'MaxPooling2D' : 'AveragePooling2D', { poolSize: pool, ...(strides ? { strides } : {}), padding }, [x],
          [convOut(h, pool, st, padding), convOut(w, pool, st, padding), c]);
      } else if (op === 11) {
        // The three ways to write it, each with what it means as [[top, bottom], [left, right]].
        const pad = s.a % 3;
        const forms: [unknown, number[][]][] = [
          [pad, [[pad, pad], [pad, pad]]],
          [[pad, 1], [[pad, pad], [1, 1]]],
          [[[0, pad], [1, 0]], [[0, pad], [1, 0]]],
        ];
        const [padding, [[t, bt], [l, r]]] = forms[s.b % 3];
        if (h + t + bt <= 24 && w + l + r <= 24) add('ZeroPadding2D', { padding }, [x], [h + t + bt, w + l + r, c]);
      } else if (op === 12) {
        add(s.a % 2 ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D', {}, [x], [c]);
      } else {
        add('Flatten', {}, [x], [h * w * c]);
      }
      continue;
    }

    // Rank 1 and 2: Dense, Maxout, Flatten (rank 2).
    const last = x.shape[rank - 1];
    if (op <= 9 || last > 64) {
      const units = 1 + (s.a % 12);
      add('Dense', { units, activation: pickOf(ACTIVATIONS, s.b), useBias: s.c % 4 !== 0, ...(s.d % 4 === 0 ? { l1: 0.01 } : {}) }, [x], [...x.shape.slice(0, -1), units]);
    } else if (op <= 11 || rank === 1) {
      const units = 1 + (s.a % 6);
      const pieces = 1 + (s.b % 3);
      add('Maxout', { units, pieces, ...(s.c % 3 === 0 ? { l2: 0.01 } : {}) }, [x], [...x.shape.slice(0, -1), units]);
    } else {
      add('Flatten', {}, [x], [prod(x.shape)]);
    }
  }

  // Sometimes a classifier head on the newest tensor.
  const top = live[live.length - 1];
  if (plan.head % 3 === 0) {
    const flat = top.shape.length === 3
      ? add(plan.head % 2 ? 'GlobalAveragePooling2D' : 'Flatten', {}, [top], plan.head % 2 ? [top.shape[2]] : [prod(top.shape)])
      : top.shape.length === 2 ? add('Flatten', {}, [top], [prod(top.shape)]) : top;
    add('Dense', { units: 1 + (plan.head % 10), activation: 'softmax' }, [flat], [1 + (plan.head % 10)]);
  }
  return b.doc('random');
}

describe('random valid graphs agree with tfjs', () => {
  test('compile is ok, the tfjs model builds and runs, and every shape and count matches', async () => {
    await fc.assert(
      // Mapped to documents, so that a counterexample prints as the (shrunk) graph itself.
      fc.asyncProperty(planArb.map(buildGraph), async (d) => {
        const result = compile(d);
        expect(result.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
        expect(result.ok).toBe(true);
        expect(result.order).toHaveLength(d.nodes.length);
        await checkAgainstTfjs(result);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Garbage never makes the compiler throw.

const TYPES = LAYERS.map((l) => l.type);
const PARAM_NAMES = [...new Set(LAYERS.flatMap((l) => Object.keys(l.params)))];
const ODD_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', ''];

const idArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('in', 'a', 'b', 'c', 'd', 'e') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '__proto__', 'constructor', 'x y', 'a/b', '1') },
  { weight: 1, arbitrary: fc.string() },
);
const plausibleValue = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.double(),
  fc.tuple(fc.integer({ min: -1, max: 6 }), fc.integer({ min: -1, max: 6 })),
  fc.array(fc.integer({ min: -2, max: 12 }), { maxLength: 5 }),
  fc.constantFrom('same', 'valid', 'full', 'relu', 'step', 'leakyRelu', 'softmax', true, false, null, [[1, 2], [3]], [[0, 1], [2, 3]]),
  fc.jsonValue(),
);
const paramsArb = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAM_NAMES, ...ODD_KEYS), fc.string()), plausibleValue), { maxLength: 6 }).map((kv) => Object.fromEntries(kv)) },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const nodeArb = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        id: fc.oneof({ weight: 9, arbitrary: idArb }, { weight: 1, arbitrary: fc.jsonValue() }),
        type: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: fc.constantFrom('conv2d', 'Dense ', 'toString', '__proto__') }, { weight: 1, arbitrary: fc.jsonValue() }),
        params: paramsArb,
        label: fc.oneof(fc.string(), fc.jsonValue()),
        position: fc.oneof(fc.record({ x: fc.double(), y: fc.double() }), fc.jsonValue()),
        extra: fc.jsonValue(),
      },
      { requiredKeys: ['id', 'type'] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const edgeArb = fc.oneof(
  { weight: 10, arbitrary: fc.record({ source: idArb, target: idArb }) },
  { weight: 1, arbitrary: fc.record({ source: fc.jsonValue(), target: fc.jsonValue(), extra: fc.jsonValue() }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const garbageDocArb = fc.record(
  {
    format: fc.constant('layerboard.graph'),
    version: fc.constant(1),
    name: fc.oneof(fc.string(), fc.jsonValue()),
    nodes: fc.array(nodeArb, { maxLength: 12 }),
    edges: fc.array(edgeArb, { maxLength: 16 }),
    // Keys named like Object.prototype members are left to their own test below.
    training: fc.oneof(fc.dictionary(fc.constantFrom('dataset', 'optimizer', 'learningRate', 'batchSize', 'epochs', 'seed', 'earlyStopping', 'x'), fc.jsonValue()), fc.jsonValue())
      .filter((t) => typeof t !== 'object' || t === null || !Object.keys(t).some((k) => k in Object.prototype)),
    extraKey: fc.jsonValue(),
  },
  { requiredKeys: ['format', 'version', 'nodes', 'edges'] },
);

/** Ids of the raw nodes that are objects with a string id. */
function rawIds(d: unknown): Set<string> {
  const nodes = (d as { nodes?: unknown }).nodes;
  return new Set(Array.isArray(nodes)
    ? nodes.filter((n) => typeof n === 'object' && n !== null && typeof (n as { id?: unknown }).id === 'string').map((n) => (n as { id: string }).id)
    : []);
}

function checkDiagnostic(x: Diagnostic, ids: Set<string>): void {
  expect(['error', 'warning']).toContain(x.severity);
  expect(Object.keys(DIAGNOSTIC_CODES)).toContain(x.code);
  expect(x.severity).toBe(DIAGNOSTIC_CODES[x.code as keyof typeof DIAGNOSTIC_CODES].severity);
  expect(typeof x.message).toBe('string');
  expect(x.message.length).toBeGreaterThan(0);
  if (x.nodeId !== undefined) expect(ids.has(x.nodeId)).toBe(true);
  if (x.param !== undefined) expect(typeof x.param).toBe('string');
}

function checkResult(result: CompileResult, d: unknown): void {
  const ids = rawIds(d);
  for (const x of result.diagnostics) checkDiagnostic(x, ids);
  for (const node of Object.values(result.nodes)) for (const x of node.diagnostics) checkDiagnostic(x, ids);
  expect(result.ok).toBe(!result.diagnostics.some((x) => x.severity === 'error'));
  for (const id of result.order) expect(ids.has(id)).toBe(true);
}

describe('garbage never makes the compiler throw', () => {
  test('random nodes, params and edges give well-formed diagnostics', () => {
    fc.assert(
      fc.property(garbageDocArb, (d) => {
        const result = compile(d as unknown as GraphDocument);
        checkResult(result, d);
      }),
      { numRuns: 300 },
    );
  });

  test('any JSON value at all is either fatal with a message or compiles', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), garbageDocArb.map((d) => ({ ...d, version: 2 })), garbageDocArb.map((d) => ({ ...d, nodes: {} }))), (v) => {
        const out = compileUnknown(v);
        if (out.ok) checkResult(out.result, v);
        else expect(out.fatal.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  test('the same document compiles to the same result twice (the per-node cache changes nothing)', () => {
    fc.assert(
      fc.property(garbageDocArb, (d) => {
        const first = compile(d as unknown as GraphDocument);
        const second = compile(d as unknown as GraphDocument);
        expect(second).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });
});

describe('keys named like Object.prototype members are ordinary keys', () => {
  const base = (extra: Partial<GraphDocument> = {}, params: Record<string, unknown> = { units: 2 }, id = 'd'): GraphDocument => ({
    format: 'layerboard.graph',
    version: 1,
    nodes: [{ id: 'in', type: 'Input', params: { shape: [3] } }, { id, type: 'Dense', params }],
    edges: [{ source: 'in', target: id }],
    ...extra,
  });

  test.each(['constructor', 'valueOf', 'toString', 'hasOwnProperty', '__proto__'])('a training field named "%s" is an unknown-field warning, not a crash', (key) => {
    // JSON.parse makes "__proto__" an own key, as a loaded file or share link would.
    const d = JSON.parse(JSON.stringify(base()).replace(/}$/, `,"training":{"${key}":1}}`)) as GraphDocument;
    expect(Object.keys(d.training!)).toEqual([key]);
    let result: CompileResult | undefined;
    expect(() => { result = compile(d); }).not.toThrow();
    expect(result!.diagnostics).toContainEqual(expect.objectContaining({ code: 'unknown-key', severity: 'warning' }));
  });

  test.each(['constructor', 'toString', 'valueOf', '__proto__'])('an unknown param named "%s" is reported like any unknown param', (key) => {
    const params = JSON.parse(`{"units":2,"${key}":1}`) as Record<string, unknown>;
    const result = compile(base({}, params));
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'unknown-param', nodeId: 'd', param: key }));
  });

  test.each(['__proto__', 'constructor', 'toString'])('a node with the id "%s" has its own entry in result.nodes', (id) => {
    const result = compile(base({}, { units: 2 }, id));
    expect(result.ok).toBe(true);
    expect(Object.keys(result.nodes).sort()).toEqual(['in', id].sort());
    expect(Object.hasOwn(result.nodes, id)).toBe(true);
    expect(result.nodes[id]).toMatchObject({ id, outputShape: [2] });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Random DAGs of plausible layers: the compiler is the judge, tfjs the check.

const PLAUSIBLE: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  Dense: fc.record({ units: fc.integer({ min: 1, max: 6 }), activation: fc.constantFrom(...ACTIVATIONS) }),
  Conv2D: fc.record({ filters: fc.integer({ min: 1, max: 4 }), kernelSize: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))), strides: fc.integer({ min: 1, max: 3 }), padding: fc.constantFrom('same', 'valid'), dilationRate: fc.constantFrom(1, 2) }, { requiredKeys: ['filters', 'kernelSize'] }),
  DepthwiseConv2D: fc.record({ kernelSize: fc.integer({ min: 1, max: 4 }), strides: fc.integer({ min: 1, max: 3 }), padding: fc.constantFrom('same', 'valid'), depthMultiplier: fc.integer({ min: 1, max: 2 }) }, { requiredKeys: ['kernelSize'] }),
  SeparableConv2D: fc.record({ filters: fc.integer({ min: 1, max: 4 }), kernelSize: fc.integer({ min: 1, max: 4 }), strides: fc.integer({ min: 1, max: 3 }), padding: fc.constantFrom('same', 'valid') }, { requiredKeys: ['filters', 'kernelSize'] }),
  MaxPooling2D: fc.record({ poolSize: fc.integer({ min: 1, max: 4 }), strides: fc.integer({ min: 1, max: 3 }), padding: fc.constantFrom('same', 'valid') }, { requiredKeys: [] }),
  AveragePooling2D: fc.record({ poolSize: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))), padding: fc.constantFrom('same', 'valid') }, { requiredKeys: [] }),
  GlobalAveragePooling2D: fc.constant({}),
  GlobalMaxPooling2D: fc.constant({}),
  ZeroPadding2D: fc.record({ padding: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))) }, { requiredKeys: [] }),
  Flatten: fc.constant({}),
  Reshape: fc.record({ targetShape: fc.oneof(fc.constant([-1]), fc.tuple(fc.constantFrom(-1, 2, 3, 4), fc.constantFrom(-1, 2, 4, 8))) }),
  Dropout: fc.record({ rate: fc.constantFrom(0, 0.3) }),
  BatchNormalization: fc.constant({}),
  Activation: fc.record({ activation: fc.constantFrom(...ACTIVATIONS) }),
  Maxout: fc.record({ units: fc.integer({ min: 1, max: 4 }), pieces: fc.integer({ min: 1, max: 3 }) }),
  Add: fc.constant({}),
  Concatenate: fc.record({ axis: fc.constantFrom(-3, -2, -1, 1, 2, 3) }, { requiredKeys: [] }),
};

const dagArb = fc.record({
  inputs: fc.array(fc.constantFrom([6, 6, 2], [5, 7, 1], [8], [4, 4]), { minLength: 1, maxLength: 2 }),
  layers: fc.array(fc.tuple(fc.constantFrom(...Object.keys(PLAUSIBLE)), fc.array(fc.nat(), { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 8 })
    .chain((ls) => fc.tuple(fc.constant(ls), fc.tuple(...ls.map(([type]) => PLAUSIBLE[type])))),
});

/** Each layer takes its inputs (as many as its arity allows) among the three newest tensors. */
function buildDag({ inputs, layers: [ls, params] }: { inputs: readonly (readonly number[])[]; layers: [[string, number[]][], Record<string, unknown>[]] }): GraphDocument {
  const b = new DocBuilder('l');
  const ids = inputs.map((shape, i) => b.add('Input', { shape }, [], `in${i}`));
  ls.forEach(([type, picks], i) => {
    const spec = LAYERS.find((l) => l.type === type)!;
    const n = Math.min(Math.max(spec.arity.min, picks.length), spec.arity.max === Infinity ? 3 : spec.arity.max);
    const sources = picks.slice(0, n).map((k) => ids[ids.length - 1 - (k % Math.min(ids.length, 3))]);
    while (sources.length < n) sources.push(ids[ids.length - 1]);
    ids.push(b.add(type, params[i], sources));
  });
  return b.doc();
}

describe('random DAGs of plausible layers', () => {
  test('whenever the compiler accepts one, tfjs builds it and agrees', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(dagArb.map(buildDag), async (d) => {
        const result = compile(d);
        checkResult(result, d);
        if (!result.ok) return;
        accepted++;
        await checkAgainstTfjs(result);
      }),
      { numRuns: 300 },
    );
    // The generator must actually exercise the comparison.
    expect(accepted).toBeGreaterThan(30);
  });
});
