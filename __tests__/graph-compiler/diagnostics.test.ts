/**
 * Every error and warning the compiler promises, each checked for its code, the node it names
 * and the words of its message; and the promise that passes keep going after an error.
 */
import { compile, compileUnknown, DIAGNOSTIC_CODES, type GraphDocument } from '@/graph-compiler';

type N = [id: string, type: string, params?: Record<string, unknown>];

function doc(nodes: N[], edges: [string, string][] = chainOf(nodes)): GraphDocument {
  return {
    format: 'layerboard.graph',
    version: 1,
    nodes: nodes.map(([id, type, params = {}]) => ({ id, type, params })),
    edges: edges.map(([source, target]) => ({ source, target })),
  };
}

function chainOf(nodes: N[]): [string, string][] {
  return nodes.slice(1).map((n, i) => [nodes[i][0], n[0]]);
}

function only(d: GraphDocument, code: string) {
  const r = compile(d);
  const found = r.diagnostics.filter((x) => x.code === code);
  expect(found).not.toHaveLength(0);
  return { r, d: found[0], all: found };
}

const IN: N = ['in', 'Input', { shape: [28, 28, 1] }];
const VEC: N = ['in', 'Input', { shape: [784] }];

describe('errors', () => {
  test('empty graph', () => {
    const { r, d } = only(doc([]), 'empty-graph');
    expect(r.ok).toBe(false);
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/empty.*add an Input/);
  });

  test('no Input', () => {
    const { d } = only(doc([['d', 'Dense', { units: 2 }]]), 'no-input');
    expect(d.message).toMatch(/no Input layer/);
  });

  test('unknown type, with a suggestion', () => {
    const { d } = only(doc([VEC, ['c', 'Conv2d', { filters: 2 }]]), 'unknown-type');
    expect(d.nodeId).toBe('c');
    expect(d.message).toBe('"c" has the unknown layer type "Conv2d"; did you mean "Conv2D"?');
  });

  test('missing required param', () => {
    const { d } = only(doc([VEC, ['d', 'Dense', {}]]), 'param-missing');
    expect(d).toMatchObject({ nodeId: 'd', param: 'units', severity: 'error' });
    expect(d.message).toBe('Dense "d": units is required: number of output units (neurons).');
  });

  test.each([
    ['non-numeric', 'ten', 'Dense "d": units must be a whole number ≥ 1; got "ten".'],
    ['fractional', 2.5, 'Dense "d": units must be a whole number ≥ 1; got 2.5.'],
    ['zero', 0, 'Dense "d": units must be a whole number ≥ 1; got 0.'],
    ['negative', -3, 'Dense "d": units must be a whole number ≥ 1; got -3.'],
  ])('%s units', (_name, units, message) => {
    const { d } = only(doc([VEC, ['d', 'Dense', { units }]]), 'param-invalid');
    expect(d).toMatchObject({ nodeId: 'd', param: 'units', message });
  });

  test.each([[1], [1.5], [-0.1]])('dropout rate %p outside [0, 1)', (rate) => {
    const { d } = only(doc([VEC, ['drop', 'Dropout', { rate }]]), 'param-invalid');
    expect(d).toMatchObject({ nodeId: 'drop', param: 'rate' });
    expect(d.message).toBe(`Dropout "drop": rate must be a number ≥ 0 and < 1; got ${rate}.`);
  });

  test('dropout rate 0 is fine', () => {
    expect(compile(doc([VEC, ['drop', 'Dropout', { rate: 0 }]])).ok).toBe(true);
  });

  test('bad kernel tuple and bad choice', () => {
    const r = compile(doc([IN, ['c', 'Conv2D', { filters: 4, kernelSize: [3, 0], padding: 'full' }]]));
    const msgs = r.diagnostics.filter((x) => x.code === 'param-invalid').map((x) => x.message);
    expect(msgs).toEqual([
      'Conv2D "c": kernelSize must be a whole number ≥ 1 or a pair [height, width] of them; got [3,0].',
      'Conv2D "c": padding must be one of "valid", "same"; got "full".',
    ]);
  });

  test('duplicate ids', () => {
    const { d } = only(doc([VEC, ['d', 'Dense', { units: 2 }], ['d', 'Dense', { units: 3 }]], [['in', 'd']]), 'duplicate-id');
    expect(d.nodeId).toBe('d');
    expect(d.message).toMatch(/Two nodes have the id "d"; the one at position 3 is left out/);
  });

  test('edge to a missing node', () => {
    const { d } = only(doc([VEC, ['d', 'Dense', { units: 2 }]], [['in', 'd'], ['d', 'ghost']]), 'edge-missing-node');
    expect(d.nodeId).toBe('d');
    expect(d.message).toBe('The edge "d" → "ghost" names "ghost", which is not a node of this graph; the edge is left out.');
  });

  test('self-loop', () => {
    const { d } = only(doc([VEC, ['d', 'Dense', { units: 2 }]], [['in', 'd'], ['d', 'd']]), 'self-loop');
    expect(d.nodeId).toBe('d');
    expect(d.message).toMatch(/Dense "d" is connected to itself/);
  });

  test('NaN units: the document is refused as a whole, as JSON could not store it', () => {
    const { d, r } = only(doc([VEC, ['d', 'Dense', { units: Number.NaN }]]), 'number-not-finite');
    expect(r.diagnostics).toHaveLength(1);
    expect(d.message).toMatch(/^the number at nodes\[1\]\.params\.units is NaN/);
  });

  test('cycle: reported once, on its first node, naming the loop', () => {
    const { all } = only(doc(
      [VEC, ['a', 'Dense', { units: 2 }], ['b', 'Dense', { units: 2 }], ['c', 'Dense', { units: 2 }]],
      [['in', 'a'], ['a', 'b'], ['b', 'c'], ['c', 'b']],
    ), 'cycle');
    expect(all.map((x) => x.nodeId)).toEqual(['b']);
    expect(all[0].message).toMatch(/is on a cycle: "b" → "c" → "b"/);
  });

  test('node not fed from an Input', () => {
    const r = compile(doc([VEC, ['out', 'Dense', { units: 2 }], ['a', 'Dense', { units: 2 }], ['b', 'Dense', { units: 2 }]], [['in', 'out'], ['a', 'b']]));
    const notFed = r.diagnostics.find((x) => x.code === 'not-fed');
    expect(notFed).toMatchObject({ nodeId: 'b' });
    expect(notFed!.message).toBe('Dense "b" is not fed from any Input: follow its inputs back and connect the first layer to an Input.');
    const arity = r.diagnostics.find((x) => x.code === 'arity');
    expect(arity).toMatchObject({ nodeId: 'a' });
    expect(arity!.message).toBe('Dense "a" takes 1 input but has 0. Connect an edge into it from an Input or another layer.');
  });

  test('Input with incoming edges', () => {
    const { d } = only(doc([VEC, ['in2', 'Input', { shape: [3] }]], [['in', 'in2']]), 'input-has-inputs');
    expect(d.nodeId).toBe('in2');
    expect(d.message).toMatch(/Input "in2" has an incoming edge from "in"/);
  });

  test('Dense with two inputs', () => {
    const { d } = only(doc([VEC, ['x', 'Input', { shape: [784] }], ['d', 'Dense', { units: 2 }]], [['in', 'd'], ['x', 'd']]), 'arity');
    expect(d.nodeId).toBe('d');
    expect(d.message).toBe('Dense "d" takes 1 input but has 2. To combine 2 tensors, feed them into an Add or a Concatenate first.');
  });

  test('Add with one input', () => {
    const { d } = only(doc([VEC, ['sum', 'Add']]), 'arity');
    expect(d.nodeId).toBe('sum');
    expect(d.message).toBe('Add "sum" takes at least 2 inputs but has 1. Connect another edge into it.');
  });

  test('conv output size ≤ 0, with the arithmetic', () => {
    const { d } = only(doc([['in', 'Input', { shape: [5, 5, 3] }], ['conv3', 'Conv2D', { filters: 8, kernelSize: 7 }]]), 'output-size');
    expect(d.nodeId).toBe('conv3');
    expect(d.message).toBe('Conv2D "conv3": (5 + 2·0 − 7)/1 + 1 = −1 ≤ 0: the 7×7 kernel is larger than its 5×5 input; use padding "same", a smaller kernel, or remove a pooling layer above.');
  });

  test('pooling output size ≤ 0', () => {
    const { d } = only(doc([['in', 'Input', { shape: [1, 1, 3] }], ['pool', 'MaxPooling2D', {}]]), 'output-size');
    expect(d.nodeId).toBe('pool');
    expect(d.message).toMatch(/^MaxPooling2D "pool": \(1 \+ 2·0 − 2\)\/2 \+ 1 = 0.5 ≤ 0: the 2×2 pool is larger than its 1×1 input/);
  });

  test('dilated kernel larger than its input', () => {
    const { d } = only(doc([['in', 'Input', { shape: [4, 4, 1] }], ['c', 'Conv2D', { filters: 1, kernelSize: 3, dilationRate: 2 }]]), 'output-size');
    expect(d.message).toMatch(/\(4 \+ 2·0 − 5\)\/1 \+ 1 = 0 ≤ 0: the 3×3 kernel dilated by 2×2 spans 5×5, more than its 4×4 input/);
  });

  test('Add shape mismatch names both inputs', () => {
    const { d } = only(doc(
      [IN, ['conv', 'Conv2D', { filters: 8, kernelSize: 3, padding: 'same' }], ['sum', 'Add']],
      [['in', 'conv'], ['conv', 'sum'], ['in', 'sum']],
    ), 'merge-shape');
    expect(d.nodeId).toBe('sum');
    expect(d.message).toMatch(/^Add "sum": Add needs inputs of one shape, but "conv" gives \[28, 28, 8\] and "in" gives \[28, 28, 1\]/);
  });

  test('Concatenate mismatch off the join axis', () => {
    const { d } = only(doc(
      [IN, ['p', 'MaxPooling2D', {}], ['cat', 'Concatenate']],
      [['in', 'p'], ['p', 'cat'], ['in', 'cat']],
    ), 'merge-shape');
    expect(d.nodeId).toBe('cat');
    expect(d.message).toMatch(/"p" gives \[14, 14, 1\] and "in" gives \[28, 28, 1\] \(axis 1 differs: 14 vs 28\)/);
  });

  test('Concatenate on the batch axis', () => {
    const { d } = only(doc([VEC, ['x', 'Input', { shape: [784] }], ['cat', 'Concatenate', { axis: 0 }]], [['in', 'cat'], ['x', 'cat']]), 'bad-axis');
    expect(d).toMatchObject({ nodeId: 'cat', param: 'axis' });
  });

  test('Reshape to a different element count', () => {
    const { d } = only(doc([VEC, ['r', 'Reshape', { targetShape: [30, 30] }]]), 'reshape-size');
    expect(d.nodeId).toBe('r');
    expect(d.message).toBe('Reshape "r": its input [784] has 784 = 784 values but [30, 30] holds 30·30 = 900; the number of values must stay the same.');
  });

  test('Conv2D on a vector', () => {
    const { d } = only(doc([VEC, ['c', 'Conv2D', { filters: 2, kernelSize: 3 }]]), 'input-rank');
    expect(d.message).toMatch(/Conv2D needs an image shaped \[height, width, channels\], but its input is \[784\] \(a flat vector\): add a Reshape/);
  });

  test('strides and dilation together', () => {
    const { d } = only(doc([IN, ['c', 'Conv2D', { filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }]]), 'stride-and-dilation');
    expect(d).toMatchObject({ nodeId: 'c', param: 'dilationRate' });
  });

  test('malformed node and edge entries are diagnostics, not fatal', () => {
    const out = compileUnknown({ format: 'layerboard.graph', version: 1, nodes: [42, { id: 'in', type: 'Input', params: { shape: [2] } }, { id: 'x', type: 7 }], edges: ['nope'] });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const codes = out.result.diagnostics.map((x) => x.code);
    expect(codes).toEqual(['node-malformed', 'node-malformed', 'edge-malformed']);
    expect(out.result.diagnostics[1]).toMatchObject({ nodeId: 'x' });
    expect(out.result.nodes.in.outputShape).toEqual([2]);
  });
});

describe('warnings', () => {
  test('stride that does not divide evenly', () => {
    const { r, d } = only(doc([IN, ['c', 'Conv2D', { filters: 4, kernelSize: 3, strides: 2 }]]), 'stride-remainder');
    expect(r.ok).toBe(true);
    expect(d).toMatchObject({ severity: 'warning', nodeId: 'c', param: 'strides' });
    expect(d.message).toBe('Conv2D "c": (28 + 2·0 − 3)/2 + 1 = 13.5, rounded down to 13: the stride 2 does not divide 28 − 3 = 25, so the last row and column of the input are never read. Use padding "same" or a stride that divides evenly.');
    expect(r.nodes.c.outputShape).toEqual([13, 13, 4]);
  });

  test('Dense on a rank-3 tensor', () => {
    const { r, d } = only(doc([IN, ['d', 'Dense', { units: 10 }]]), 'dense-on-image');
    expect(d).toMatchObject({ severity: 'warning', nodeId: 'd' });
    expect(d.message).toMatch(/Did you mean to put a Flatten before it\?/);
    expect(r.nodes.d.outputShape).toEqual([28, 28, 10]);
  });

  test('softmax not at an output', () => {
    const { d } = only(doc([VEC, ['h', 'Dense', { units: 10, activation: 'softmax' }], ['out', 'Dense', { units: 2 }]]), 'softmax-not-output');
    expect(d).toMatchObject({ severity: 'warning', nodeId: 'h' });
    expect(d.message).toMatch(/belongs on the output layer, but this layer feeds "out"/);
  });

  test('softmax at the output is fine', () => {
    expect(compile(doc([VEC, ['out', 'Dense', { units: 10, activation: 'softmax' }]])).diagnostics).toEqual([]);
  });

  test.each([['Dense', { units: 1, activation: 'step' }], ['Activation', { activation: 'step' }]])('step activation on %s after a hidden layer', (type, params) => {
    const { d } = only(doc([['in', 'Input', { shape: [2] }], ['h', 'Dense', { units: 4 }], ['p', type, params]]), 'step-activation');
    expect(d).toMatchObject({ severity: 'warning', nodeId: 'p' });
    expect(d.message).toMatch(/gradient of zero everywhere/);
  });

  test('the perceptron itself (trained by the perceptron rule) earns no step warning', () => {
    expect(compile(doc([['in', 'Input', { shape: [2] }], ['p', 'Dense', { units: 1, activation: 'step' }]])).diagnostics).toEqual([]);
    expect(compile(doc([['in', 'Input', { shape: [2] }], ['d', 'Dense', { units: 1 }], ['p', 'Activation', { activation: 'step' }]])).diagnostics).toEqual([]);
  });

  test('unknown params and keys are reported, not dropped', () => {
    const input = { ...doc([VEC, ['d', 'Dense', { unit: 3, units: 2 }]]), extra: true };
    const r = compile(input);
    expect(r.diagnostics.map((x) => [x.code, x.severity])).toEqual([['unknown-key', 'warning'], ['unknown-param', 'warning']]);
    expect(r.diagnostics[1].message).toBe('Dense "d": unknown param "unit" is kept but ignored; did you mean "units"?');
    expect(input.nodes[1].params).toEqual({ unit: 3, units: 2 });
  });
});

describe('passes keep going', () => {
  test('one bad node does not hide the shapes of the others', () => {
    const r = compile(doc(
      [IN, ['bad', 'Conv2D', { filters: 0, kernelSize: 3 }], ['after', 'Flatten'], ['side', 'Conv2D', { filters: 4, kernelSize: 5 }], ['sideFlat', 'Flatten']],
      [['in', 'bad'], ['bad', 'after'], ['in', 'side'], ['side', 'sideFlat']],
    ));
    expect(r.ok).toBe(false);
    expect(r.nodes.bad.outputShape).toBeNull();
    expect(r.nodes.after.outputShape).toBeNull();
    expect(r.nodes.after.diagnostics).toEqual([]);
    expect(r.nodes.side.outputShape).toEqual([24, 24, 4]);
    expect(r.nodes.sideFlat.outputShape).toEqual([2304]);
    expect(r.diagnostics.filter((x) => x.severity === 'error')).toHaveLength(1);
  });

  test('every code in the table has a severity and a meaning', () => {
    for (const [code, v] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).toMatch(/^[a-z-]+$/);
      expect(['error', 'warning']).toContain(v.severity);
      expect(v.meaning.length).toBeGreaterThan(10);
    }
  });
});

describe('not a graph document at all', () => {
  test.each([
    ['null', null, /expected a JSON object/],
    ['an array', [], /expected a JSON object/],
    ['wrong format', { format: 'other', version: 1, nodes: [], edges: [] }, /"format" is "other"/],
    ['future version', { format: 'layerboard.graph', version: 2, nodes: [], edges: [] }, /version 2 is newer/],
    ['nodes not an array', { format: 'layerboard.graph', version: 1, nodes: {}, edges: [] }, /"nodes" must be an array/],
    ['edges missing', { format: 'layerboard.graph', version: 1, nodes: [] }, /"edges" must be an array/],
  ])('%s', (_n, value, message) => {
    const out = compileUnknown(value);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.fatal).toMatch(message);
  });
});

describe('the training block', () => {
  const withTraining = (training: unknown) => ({ ...doc([VEC, ['out', 'Dense', { units: 10, activation: 'softmax' }]]), training }) as GraphDocument;

  test('valid settings pass', () => {
    expect(compile(withTraining({ dataset: 'spiral', optimizer: 'sgd', learningRate: 0.03, earlyStopping: { enabled: true, patience: 2 } })).diagnostics).toEqual([]);
  });

  test('a bad value is an error naming the field', () => {
    const { d } = only(withTraining({ learningRate: -1 }), 'training-invalid');
    expect(d).toMatchObject({ severity: 'error', param: 'learningRate', message: 'Training: learningRate must be a number > 0; got -1.' });
  });

  test('an unknown field is a warning', () => {
    const { r, d } = only(withTraining({ epoch: 3 }), 'unknown-key');
    expect(r.ok).toBe(true);
    expect(d.message).toMatch(/unknown field "epoch" \(did you mean "epochs"\?\)/);
  });
});
