/**
 * Hardening, case by case: exact numbers or a `number-too-large` error on the node that first
 * passes 2^53 − 1; NaN and Infinity refused with the same words by every reader (file, link,
 * autosave, command line); nesting, cycles, edges, inputs, keys and messages bounded; crafted
 * model.json and links answered in our words; the command line's exit codes for all of it.
 */
import { strToU8 } from 'fflate';
import { run } from '@/cli/layerboard';
import { compile, compileUnknown, type GraphDocument } from '@/graph-compiler';
import { fromModelJson } from '@/graph-compiler/interop';
import { MAX_DEPTH, MAX_DIAGNOSTICS, MAX_EDGES, MAX_INPUTS_PER_NODE } from '@/graph-compiler/passes/limits';
import { restoreAutosave } from '@/lib/persistence';
import { openFileBytes } from '@/lib/share/file';
import { decodeLink, encodeLink, packPayload } from '@/lib/share/link';

const doc = (nodes: unknown[], edges: [string, string][] = [], extra: object = {}): GraphDocument => ({
  format: 'layerboard.graph', version: 1, nodes, edges: edges.map(([source, target]) => ({ source, target })), ...extra,
} as GraphDocument);
const input = (shape: number[], id = 'in') => ({ id, type: 'Input', params: { shape } });
const dense = (id: string, units: number) => ({ id, type: 'Dense', params: { units } });
const chain = (ids: string[]) => ids.slice(1).map((id, i) => [ids[i], id] as [string, string]);
const stdin = (text: string) => () => text;
const exact = (n: number) => Number.isSafeInteger(n) && n >= 0;

describe('exact numbers', () => {
  test('an Input of [1e9, 1e9, 3] is an error on the Input, with its arithmetic', () => {
    const r = compile(doc([input([1e9, 1e9, 3])]));
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'number-too-large', nodeId: 'in', severity: 'error' })]);
    expect(r.diagnostics[0].message).toBe('Input "in": its output holds 1,000,000,000 · 1,000,000,000 · 3 ≈ 3.00e+18 values per example, '
      + 'more than 9,007,199,254,740,991 (2^53 − 1), the largest whole number counted exactly. Use smaller sizes.');
    expect(Object.values(r.totals).every(exact)).toBe(true);
  });

  test('an absurd but exact Input ([100000, 100000, 3]) gets a warning, once, where it starts', () => {
    const r = compile(doc([input([100000, 100000, 3]), { id: 'f', type: 'Flatten', params: {} }], [['in', 'f']]));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.nodeId])).toEqual([['huge-tensor', 'in']]);
    expect(r.totals.inputBytes).toBe(120_000_000_000);
  });

  test('30 axes of 2^40 then Dense: refused on the Input, nothing downstream is guessed', () => {
    const r = compile(doc([input(Array(30).fill(2 ** 40)), dense('d', 10)], [['in', 'd']]));
    expect(r.diagnostics.map((d) => [d.code, d.nodeId])).toEqual([['number-too-large', 'in']]);
    expect(r.diagnostics[0].message).toMatch(/· 1,099,511,627,776 · … \(30 axes\) = Infinity values per example, more than 9,007,199,254,740,991/);
    expect(r.nodes.d.outputShape).toBeNull();
    expect(Object.values(r.totals).every(exact)).toBe(true);
  });

  test('a parameter count past 2^53 is an error on its layer with the layer\'s own formula', () => {
    const r = compile(doc([input([2 ** 40]), dense('d', 2 ** 20)], [['in', 'd']]));
    const d = r.diagnostics.find((x) => x.code === 'number-too-large')!;
    expect(d.nodeId).toBe('d');
    expect(d.message).toMatch(/^Dense "d": its parameter count 1099511627776·1048576 \+ 1048576 = .* comes to ≈ 1\.15e\+18, more than 9,007,199,254,740,991/);
    expect(r.nodes.d.paramCount).toBeNull();
    expect(r.totals.totalParams).toBe(0);
  });

  test('totals: the node where the sum first passes the limit gets the error; the totals stay exact', () => {
    // Each Dense alone is exact (2^51 + 2^31 parameters), but their weights (4 bytes each) are not.
    const r = compile(doc([input([2 ** 20]), dense('a', 2 ** 31)], [['in', 'a']]));
    const d = r.diagnostics.find((x) => x.code === 'number-too-large')!;
    expect(d.nodeId).toBe('a');
    expect(d.message).toMatch(/with it, the model's float32 weights would take 4 · 2,251,801,961,168,896 ≈ 9\.01e\+15 bytes/);
    expect(Object.values(r.totals).every(exact)).toBe(true);
    expect(r.totals.totalParams).toBe(0);
  });

  test('MACs past 2^53 are an error; the parameter count that is exact is kept', () => {
    // Conv2D on a large image: few weights, many multiply-adds.
    const r = compile(doc([input([2 ** 22, 2 ** 22, 3]), { id: 'c', type: 'Conv2D', params: { filters: 64, kernelSize: 3, padding: 'same' } }], [['in', 'c']]));
    const codes = r.diagnostics.filter((x) => x.code === 'number-too-large').map((x) => x.nodeId);
    expect(codes.length).toBeGreaterThan(0);
    expect(Object.values(r.totals).every(exact)).toBe(true);
  });
});

describe('NaN and Infinity: refused at the door, with the same words everywhere', () => {
  const text = '{"format":"layerboard.graph","version":1,"nodes":[{"id":"in","type":"Input","params":{"shape":[4]}},{"id":"d","type":"Dense","params":{"units":1e999}}],"edges":[{"source":"in","target":"d"}]}';
  const words = 'the number at nodes[1].params.units is Infinity (a number too large for a 64-bit float, like 1e999, reads as Infinity); '
    + 'JSON cannot store it, so it would change on the next save. Replace it with a finite number';

  test('the compiler', () => {
    const out = compileUnknown(JSON.parse(text));
    expect(out).toEqual({ ok: false, code: 'number-not-finite', fatal: words });
  });

  test('a file', () => {
    const opened = openFileBytes('g.json', strToU8(text));
    expect(opened).toEqual({ ok: false, message: `g.json is not a Layerboard graph: ${words}.` });
  });

  test('a link (crafted: no Layerboard writes one)', () => {
    const link = decodeLink(`#g=${packPayload(strToU8(text))}`);
    expect(link).toMatchObject({ ok: false, reason: 'not-graph', message: `This link does not hold a Layerboard graph: ${words}.` });
  });

  test('the autosave: moved aside, with the reason', () => {
    const map = new Map<string, string>([['layerboard.autosave.v1', text]]);
    const store = {
      getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k), clear: () => map.clear(), key: () => null, length: 0,
    } as Storage;
    const out = restoreAutosave(store);
    expect(out).toMatchObject({ kind: 'unreadable', reason: words, raw: text });
    expect([...map.values()]).toEqual([text]);
  });

  test('the command line: exit 2, the same words', () => {
    const r = run(['summary', '-', '--json'], stdin(text));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: `standard input: ${words}` });
  });

  test('NaN in a document made in memory (no JSON text can hold one)', () => {
    const out = compileUnknown(doc([input([4]), { id: 'd', type: 'Dropout', params: { rate: Number.NaN } }], [['in', 'd']]));
    expect(out).toMatchObject({ ok: false, code: 'number-not-finite' });
  });

  test('a link round trip is exact for the numbers JSON can hold (-0, 1e-320, 2^53 − 1)', () => {
    const d = doc([input([4]), dense('d', Number.MAX_SAFE_INTEGER), { id: 'x', type: 'Dropout', params: { rate: 1e-320, extra: -0 } }], [['in', 'd'], ['in', 'x']]);
    const link = encodeLink(d);
    if (!link.ok) throw new Error(link.message);
    const back = decodeLink(link.fragment);
    if (!back.ok) throw new Error(back.message);
    expect(JSON.stringify(back.doc.nodes.map((n) => n.params))).toBe(JSON.stringify(d.nodes.map((n) => n.params)));
  });
});

describe('deep nesting never reaches the call stack', () => {
  const deep = (n: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < n; i++) v = [v];
    return v;
  };
  const nested = deep(4096);
  test.each([
    ['a param', doc([input([4]), { id: 'd', type: 'Dense', params: { units: nested } }], [['in', 'd']])],
    ['a type', doc([{ id: 'd', type: nested, params: {} }])],
    ['an edge', { ...doc([input([4])]), edges: [{ source: nested, target: 'in' }] }],
    ['format', { ...doc([]), format: nested }],
    ['training', doc([input([4])], [], { training: { dataset: nested } })],
    ['an unknown key', doc([input([4])], [], { notes: { a: nested } })],
  ])('4,096 levels in %s: summary --json exits 2 with a message', (_where, value) => {
    const r = run(['summary', '-', '--json'], stdin(JSON.stringify(value)));
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.error).toMatch(new RegExp(`is nested more than ${MAX_DEPTH} levels deep`));
  });

  test('a model.json nested 4,096 deep is refused in words', () => {
    expect(fromModelJson({ modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: nested }] } } }))
      .toEqual({ ok: false, message: expect.stringMatching(/nested more than 64 levels deep/) });
  });
});

describe('bounded work', () => {
  test('a 10,000-node cycle: one message with its first names and the count; summary exits 1 with small output', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
    const d = doc([input([4]), ...ids.map((id) => dense(id, 2))], [['in', 'n0'], ...chain(ids), ['n9999', 'n0']]);
    const r = run(['summary', '-', '--json'], stdin(JSON.stringify(d)));
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    const cycles = j.diagnostics.filter((x: { code: string }) => x.code === 'cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0].message).toBe('Dense "n0" is on a cycle: "n0" → "n1" → "n2" → "n3" → "n4" → … (10,000 layers in this loop). Data cannot flow around a loop; remove one of these edges.');
    expect(r.stdout.length).toBeLessThan(3_000_000);
    expect(run(['summary', '-'], stdin(JSON.stringify(d))).stdout.length).toBeLessThan(2_000_000);
  });

  test('3,000 small cycles: one message each, listed up to the cap, the rest counted', () => {
    const nodes: unknown[] = [input([4])];
    const edges: [string, string][] = [];
    for (let i = 0; i < 3000; i++) {
      nodes.push(dense(`a${i}`, 2), dense(`b${i}`, 2));
      edges.push(['in', `a${i}`], [`a${i}`, `b${i}`], [`b${i}`, `a${i}`]);
    }
    const r = compile(doc(nodes, edges));
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(r.diagnostics.at(-1)).toMatchObject({ code: 'too-many-problems', message: '2,500 more problems are not listed (3,000 errors in all); fix the ones above first.' });
    // A link carries at most 2,000 layers: 999 of the cycles, their edges in reverse order.
    const link = encodeLink(doc(nodes.slice(0, 1999), edges.slice(0, 3 * 999).reverse()));
    expect(link.ok).toBe(true);
    if (link.ok) expect(decodeLink(link.fragment).ok).toBe(true);
  });

  test('more edges than the cap: refused as a whole (exit 2), not laid out', () => {
    const nodes = [input([4]), ...Array.from({ length: 600 }, (_, i) => dense(`d${i}`, 2))];
    const edges = Array.from({ length: MAX_EDGES + 1 }, (_, k) => [`d${k % 600}`, `d${(k * 7 + 1) % 600}`] as [string, string]);
    const r = run(['summary', '-', '--json'], stdin(JSON.stringify(doc(nodes, edges))));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toBe(`standard input: the graph has ${(MAX_EDGES + 1).toLocaleString('en-US')} edges; Layerboard reads at most ${MAX_EDGES.toLocaleString('en-US')}`);
  });

  test('a short link with 603 nodes and 180,303 edges: refused with the edge count, not laid out', () => {
    const nodes = [input([4]), ...Array.from({ length: 602 }, (_, i) => dense(`d${i}`, 2))];
    const ids = nodes.map((n) => n.id);
    // In the canonical order (by target, in node order), as a link stores them most compactly.
    const edges = Array.from({ length: 180_303 }, (_, k) => [ids[(k * 7 + 3) % 603], ids[1 + (k % 602)]] as [string, string])
      .sort((a, b) => Number(a[1].slice(1)) - Number(b[1].slice(1)));
    const link = encodeLink(doc(nodes, edges));
    if (!link.ok) throw new Error(link.message);
    expect(link.fragment.length).toBeLessThan(200_000);
    expect(link.ok).toBe(true);
    if (!link.ok) return;
    expect(decodeLink(link.fragment)).toMatchObject({
      ok: false, reason: 'not-graph', message: `This link does not hold a Layerboard graph: the graph has 180,303 edges; Layerboard reads at most ${MAX_EDGES.toLocaleString('en-US')}.`,
    });
  });

  test('more inputs into one node than a layer takes: an error on it, the rest left out', () => {
    const ids = Array.from({ length: MAX_INPUTS_PER_NODE + 44 }, (_, i) => `in${i}`);
    const r = compile(doc([...ids.map((id) => input([2], id)), { id: 'add', type: 'Add', params: {} }], ids.map((id) => [id, 'add'])));
    expect(r.diagnostics.filter((d) => d.code === 'too-many-inputs')).toEqual([expect.objectContaining({
      nodeId: 'add', message: `Add "add" has 300 incoming edges; a layer takes at most ${MAX_INPUTS_PER_NODE}, so the last 44 are left out.`,
    })]);
    expect(r.nodes.add.inputIds).toHaveLength(MAX_INPUTS_PER_NODE);
  });

  test('a 1 MB unknown key: no edit-distance hint, and the message quotes it cut short', () => {
    const key = 'k'.repeat(1 << 20);
    const r = compile(doc([input([4])], [], { [key]: 1 }));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toBe(`The document has an unknown key "${'k'.repeat(80)}…"; it is kept but ignored.`);
  });

  test('a thousand unknown params on one node: ten listed, the rest counted', () => {
    const params = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, i]));
    const r = compile(doc([{ id: 'in', type: 'Input', params: { shape: [4], ...params } }]));
    expect(r.diagnostics).toHaveLength(11);
    expect(r.diagnostics.at(-1)!.message).toBe('Input "in": 990 more unknown params are kept but ignored.');
  });

  test('ids named like Object.prototype members are nodes like any other', () => {
    const ids = ['__proto__', 'constructor', 'prototype', 'toString'];
    const r = compile(doc([input([4], ids[0]), ...ids.slice(1).map((id) => dense(id, 3))], chain(ids)));
    expect(r.ok).toBe(true);
    expect(Object.keys(r.nodes)).toEqual(ids);
    const last: string = ids[3];
    expect(r.nodes[last].outputShape).toEqual([3]);
    expect(({} as Record<string, unknown>).outputShape).toBeUndefined();
  });
});

describe('outside data answered in our words', () => {
  test('model.json with an object class_name (toString not a function): a message, exit 1 or 2, never a JavaScript error', () => {
    const model = { modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: { toString: 1 }, config: {} }, { class_name: 'Dense', config: { units: 2, batch_input_shape: [null, 3] } }] } } };
    const direct = fromModelJson(model);
    expect(JSON.stringify(direct)).not.toMatch(/Cannot convert|TypeError/);
    const r = run(['import', '-'], stdin(JSON.stringify(model)));
    expect([1, 2]).toContain(r.code);
    expect(r.stderr).toMatch(/Layer "layer_1" \(\{"toString":1\}\) is not supported/);
    expect(r.stderr).not.toMatch(/Cannot convert|internal error/);
    const top = run(['import', '-'], stdin(JSON.stringify({ modelTopology: { class_name: { toString: 1 }, config: {} } })));
    expect(top.code).toBe(2);
    expect(top.stderr).not.toMatch(/Cannot convert|internal error/);
  });

  test('a crafted link with objects for indices: one of the link\'s messages', () => {
    for (const compact of [[0, [{ toString: 1 }], [0], ['a'], [[]]], [0, [0], [[{ toString: 1 }, 1]], ['a'], [[]]], [0, [0, 2], [[0, [4]], 0], ['a', 'b'], [[], 1], 0, [{ toString: 1 }, 'x']]]) {
      const out = decodeLink(`#g=${packPayload(strToU8(JSON.stringify(compact)))}`);
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.message).toMatch(/^This link does not hold a Layerboard graph: its contents are not a graph \(/);
    }
  });

  test('a byte-order mark: the command line reads the file as the app does', () => {
    const text = `\uFEFF${JSON.stringify(doc([input([4]), dense('d', 2)], [['in', 'd']]))}`;
    expect(run(['summary', '-'], stdin(text)).code).toBe(0);
    expect(run(['link', '-'], stdin(text)).code).toBe(0);
    expect(run(['export', 'keras', '-'], stdin(text)).code).toBe(0);
    expect(run(['export', 'tfjs', '-'], stdin(text)).code).toBe(0);
  });
});
