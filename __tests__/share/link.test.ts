/**
 * Share links: every fixture and template survives document → link → document as the same
 * design; generated documents do too (property-based); broken links give their own reason and
 * message; the size limits hold.
 */
import fc from 'fast-check';
import { strToU8 } from 'fflate';
import type { GraphDocument } from '@/graph-compiler';
import { isGeneratedId, toCompact } from '@/lib/share/compact';
import {
  decodeLink, encodeLink, linkPayload, MAX_LINK_NODES, MAX_UNPACKED_BYTES, packPayload, shareUrl,
} from '@/lib/share/link';
import { allDocuments, expectSameDesign, fixtureDoc } from './design';

const roundTrip = (doc: GraphDocument): GraphDocument => {
  const link = encodeLink(doc);
  if (!link.ok) throw new Error(link.message);
  const back = decodeLink(link.fragment);
  if (!back.ok) throw new Error(back.message);
  return back.doc;
};

/** A value as JSON text carries it: a link is JSON inside, and JSON has no -0 (it writes 0). */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('round trip of every fixture and template', () => {
  test.each(allDocuments())('%s', (_name, doc) => {
    expectSameDesign(doc, roundTrip(doc));
  });

  test.each(allDocuments())('%s with positions and labels', (_name, doc) => {
    const placed: GraphDocument = {
      ...doc,
      nodes: doc.nodes.map((n, i) => ({ ...n, position: { x: 37.3 * (i % 3), y: 96.6 * i }, ...(i % 2 ? { label: `Layer ${i}` } : {}) })),
      training: { dataset: 'mnist', epochs: 3, earlyStopping: { enabled: true } },
    };
    expectSameDesign(placed, roundTrip(placed));
  });
});

test('ids the editor or a person chose come back as they were', () => {
  for (const [, doc] of allDocuments()) expect(roundTrip(doc).nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.id));
});

test('generated ids (UUIDs, nanoids) are not carried and come back as n<index>', () => {
  expect(isGeneratedId('3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe(true);
  expect(isGeneratedId('V1StGXR8_Z5jdHi6B-myT')).toBe(true);
  expect(isGeneratedId('conv2_block1_1_conv')).toBe(false);
  expect(isGeneratedId('max_pooling2d_1')).toBe(false);
  const doc = fixtureDoc('lenet5');
  const rename = new Map([['c1', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'], ['f5', 'V1StGXR8_Z5jdHi6B-myT']]);
  const generated: GraphDocument = {
    ...doc,
    nodes: doc.nodes.map((n) => ({ ...n, id: rename.get(n.id) ?? n.id })),
    edges: doc.edges.map((e) => ({ source: rename.get(e.source) ?? e.source, target: rename.get(e.target) ?? e.target })),
  };
  const back = roundTrip(generated);
  expect(back.nodes.map((n) => n.id)).toEqual(['input', 'n2', 's2', 'c3', 's4', 'flatten', 'n7', 'f6', 'output']);
  expectSameDesign(generated, back);
});

test('defaults are dropped and [3, 3] is written 3, with the same meaning', () => {
  const doc: GraphDocument = {
    format: 'layerboard.graph', version: 1,
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [8, 8, 3] } },
      { id: 'conv', type: 'Conv2D', params: { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', useBias: true, activation: 'linear' } },
    ],
    edges: [{ source: 'in', target: 'conv' }],
  };
  expect(JSON.stringify(toCompact(doc))).toBe('[0,[0,2],[[0,[8,8,3]],[0,4,1,3]],["in","conv"],[[],1]]');
  const back = roundTrip(doc);
  expect(back.nodes[1].params).toEqual({ filters: 4, kernelSize: 3 });
  expectSameDesign(doc, back);
});

test('unknown keys, unknown params, invalid values and edge order survive', () => {
  const doc = {
    format: 'layerboard.graph', version: 1, name: 'odd', madeWith: { tool: 'x' },
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [4] }, note: 'first' },
      { id: 'd', type: 'Dense', params: { units: -3, activation: 'relu', colour: 'red' }, label: 'Hidden' },
      { id: 'q', type: 'Quantum', params: { qubits: 3 } },
      { id: 'e', type: 'Dense' },
    ],
    edges: [{ source: 'd', target: 'q', weight: 2 }, { source: 'in', target: 'd' }, { source: 'q', target: 'e' }],
    training: { epochs: 2, colour: 'blue' },
  } as unknown as GraphDocument;
  const back = roundTrip(doc);
  expect(back).toEqual({ ...doc, nodes: doc.nodes.map((n) => (n.id === 'e' ? { id: 'e', type: 'Dense' } : n)) });
});

test('keys named like Object.prototype members are ordinary keys', () => {
  const doc = JSON.parse(`{"format":"layerboard.graph","version":1,"__proto__":{"x":1},"constructor":2,
    "nodes":[{"id":"in","type":"Input","params":{"shape":[2],"__proto__":3,"constructor":4},"__proto__":{"y":5}},
             {"id":"d","type":"Dense","params":{"units":1,"toString":6}}],
    "edges":[{"source":"in","target":"d","__proto__":7}],"training":{"epochs":8}}`) as GraphDocument;
  const back = roundTrip(doc);
  const canonical = (v: unknown): string => (Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(v));
  expect(canonical(back)).toBe(canonical(doc));
  expect(canonical(back)).toMatch(/"__proto__":\{"x":1\}.*"constructor":2/);
  expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  expect(Object.getPrototypeOf(back.nodes[0])).toBe(Object.prototype);
});

test('a document that does not fit the compact model travels verbatim', () => {
  const broken = {
    format: 'layerboard.graph', version: 1,
    nodes: [{ id: 'a', type: 'Input', params: { shape: [2] } }, { id: 'a', type: 'Dense', params: { units: 1 } }, 7],
    edges: [{ source: 'a', target: 'ghost' }, null],
  } as unknown as GraphDocument;
  expect(toCompact(broken)).toBe(broken);
  const link = encodeLink(broken);
  expect(link.ok).toBe(true);
  const back = decodeLink(link.ok ? link.fragment : '');
  expect(back.ok && back.doc).toEqual(broken);
  expect(back.ok && back.result.ok).toBe(false);
});

describe('generated documents round-trip (property-based)', () => {
  const idArb = fc.oneof(
    fc.constantFrom('input', 'conv', 'dense', 'pool', 'out', 'conv2_block1_1_bn'),
    fc.uuid(),
    fc.stringMatching(/^[A-Za-z0-9_-]{21}$/),
    fc.string({ minLength: 1, maxLength: 12 }),
  );
  const valueArb = fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constantFrom('same', 'valid', 'relu', 'tanh', 'nope'),
    fc.boolean(), fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })), fc.double({ min: 0, max: 1, noNaN: true }));
  const nodeArb = fc.record({
    id: idArb,
    type: fc.constantFrom('Input', 'Dense', 'Conv2D', 'MaxPooling2D', 'Add', 'Concatenate', 'Activation', 'ZeroPadding2D', 'Mystery'),
    params: fc.dictionary(fc.constantFrom('units', 'filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias', 'poolSize', 'axis', 'shape', 'alpha', 'extra', 'constructor', 'toString'), valueArb, { maxKeys: 5 }),
    position: fc.option(fc.record({ x: fc.double({ min: -5000, max: 5000, noNaN: true }), y: fc.double({ min: -5000, max: 5000, noNaN: true }) }), { nil: undefined }),
    label: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  }, { requiredKeys: ['id', 'type', 'params'] });
  const docArb = fc.record({
    name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    nodes: fc.uniqueArray(nodeArb, { minLength: 1, maxLength: 25, selector: (n) => n.id }),
    edgePicks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.option(fc.string({ maxLength: 4 }), { nil: undefined })), { maxLength: 40 }),
    training: fc.option(fc.dictionary(fc.constantFrom('epochs', 'dataset', 'seed', 'zzz'), fc.jsonValue().map(asJson), { maxKeys: 3 }), { nil: undefined }),
  }).map(({ name, nodes, edgePicks, training }) => {
    const edges = edgePicks.map(([s, t, note]) => ({
      source: nodes[s % nodes.length].id, target: nodes[t % nodes.length].id, ...(note !== undefined ? { note } : {}),
    }));
    const clean = nodes.map((n) => Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined)));
    return {
      format: 'layerboard.graph', version: 1, ...(name !== undefined ? { name } : {}), nodes: clean, edges,
      ...(training !== undefined ? { training } : {}),
    } as unknown as GraphDocument;
  });

  test('decode(encode(doc)) is the same design', () => {
    fc.assert(fc.property(docArb, (doc) => {
      const link = encodeLink(doc);
      expect(link.ok).toBe(true);
      const back = decodeLink(link.ok ? link.fragment : '');
      if (!back.ok) throw new Error(back.message);
      expectSameDesign(doc, back.doc);
    }), { numRuns: 150 });
  });
});

describe('links that cannot be read', () => {
  const good = encodeLink(fixtureDoc('resnet-block'));
  const payload = good.ok ? good.payload : '';

  test('every cut of a link says it was cut short', () => {
    for (let n = 1; n < payload.length; n++) {
      const r = decodeLink(`#g=${payload.slice(0, n)}`);
      expect([n, r.ok || r.reason]).toEqual([n, 'truncated']);
    }
    const r = decodeLink(`#g=${payload.slice(0, -10)}`);
    expect(!r.ok && r.message).toMatch(/cut short: it has \d+ of its \d+ characters/);
  });

  test('a changed character says the link is damaged', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The first characters hold the declared length; changing them can also read as a cut.
    for (let i = 4; i < payload.length; i++) {
      const c = alphabet[(alphabet.indexOf(payload[i]) + 1 + (i % 60)) % 64];
      const r = decodeLink(`#g=${payload.slice(0, i)}${c}${payload.slice(i + 1)}`);
      expect([i, r.ok || r.reason]).toEqual([i, 'corrupt']);
    }
    const r = decodeLink(`#g=${payload.slice(0, 20)}${payload[20] === 'A' ? 'B' : 'A'}${payload.slice(21)}`);
    expect(!r.ok && r.message).toMatch(/damaged: some of its characters were changed/);
  });

  test('extra characters at the end say the link is damaged', () => {
    expect(decodeLink(`#g=${payload}AAAA`)).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  test('another format mark', () => {
    expect(decodeLink(`#g=9${payload.slice(1)}`)).toMatchObject({ ok: false, reason: 'version', message: expect.stringMatching(/newer Layerboard \(link format 9\)/) });
    expect(decodeLink(`#g=x${payload.slice(1)}`)).toMatchObject({ ok: false, reason: 'version', message: expect.stringMatching(/format mark "x"/) });
  });

  test('characters that base64url never has', () => {
    expect(decodeLink(`#g=${payload.slice(0, 10)}!${payload.slice(10)}`)).toMatchObject({
      ok: false, reason: 'not-base64', message: expect.stringMatching(/contains "!" \(character 10 after #g=1\)/),
    });
    expect(decodeLink(`#g=${payload.slice(0, 10)}+/${payload.slice(10)}`)).toMatchObject({ ok: false, reason: 'not-base64' });
  });

  test('no graph in the link', () => {
    for (const text of ['', '#', 'http://localhost:3000/', 'http://localhost:3000/#view=1', '#g=']) {
      expect([text, decodeLink(text)]).toEqual([text, expect.objectContaining({ ok: false, reason: 'empty' })]);
    }
  });

  test('a zip bomb stops at the unpacked size limit', () => {
    const bomb = packPayload(new Uint8Array(MAX_UNPACKED_BYTES * 8).fill(32));
    expect(bomb.length).toBeLessThan(15_000);
    const started = Date.now();
    expect(decodeLink(`#g=${bomb}`)).toMatchObject({ ok: false, reason: 'oversized', message: expect.stringMatching(/unpacks to more than 1,048,576 bytes/) });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(decodeLink('x'.repeat(2_000_001))).toMatchObject({ ok: false, reason: 'oversized' });
  });

  test('too many nodes', () => {
    const types: number[] = new Array(MAX_LINK_NODES + 1).fill(11);
    const many = [0, types, new Array(MAX_LINK_NODES + 1).fill(0), new Array(MAX_LINK_NODES + 1).fill(0), new Array(MAX_LINK_NODES + 1).fill([])];
    expect(decodeLink(`#g=${packPayload(strToU8(JSON.stringify(many)))}`)).toMatchObject({
      ok: false, reason: 'too-many-nodes', message: expect.stringMatching(/2,001 layers; Layerboard opens links of at most 2,000/),
    });
    const doc = { format: 'layerboard.graph', version: 1, nodes: types.map((_, i) => ({ id: `n${i}`, type: 'Flatten', params: {} })), edges: [] } as GraphDocument;
    expect(encodeLink(doc)).toMatchObject({ ok: false, reason: 'too-many-nodes' });
  });

  test('contents that are not a graph', () => {
    expect(decodeLink(`#g=${packPayload(strToU8('{"format":"other"}'))}`)).toMatchObject({ ok: false, reason: 'not-graph', message: expect.stringMatching(/does not hold a Layerboard graph: not a graph document/) });
    expect(decodeLink(`#g=${packPayload(strToU8('[0,[99],[0],[0],[0]]'))}`)).toMatchObject({ ok: false, reason: 'not-graph', message: expect.stringMatching(/unknown layer type index 99/) });
    expect(decodeLink(`#g=${packPayload(strToU8('[0,[0],[0],["a"],[5]]'))}`)).toMatchObject({ ok: false, reason: 'not-graph' });
  });
});

describe('where the payload is found', () => {
  test('full URL, fragment, g=, bare payload, other fragment keys, line breaks', () => {
    const link = encodeLink(fixtureDoc('lenet5'));
    if (!link.ok) throw new Error('no link');
    const url = shareUrl(link, 'https://example.org/app/#old');
    expect(url).toBe(`https://example.org/app/${link.fragment}`);
    for (const form of [url, link.fragment, `g=${link.payload}`, link.payload, `#view=2&g=${link.payload}`,
      `${url.slice(0, 60)}\n${url.slice(60)}`]) {
      expect(linkPayload(form)).toBe(link.payload);
      expect(decodeLink(form).ok).toBe(true);
    }
  });
});

test('LeNet-5 fits in 400 characters, ResNet50 in 2,000 (2,500 with positions)', () => {
  const lenet = encodeLink(fixtureDoc('lenet5'));
  const resnet = encodeLink(fixtureDoc('resnet50'));
  expect(lenet.ok && shareUrl(lenet).length).toBeLessThanOrEqual(400);
  expect(resnet.ok && shareUrl(resnet).length).toBeLessThanOrEqual(2000);
});

test('the frozen link vocabulary still names the registry’s types and params', async () => {
  const { LAYERS } = await import('@/graph-compiler');
  const { LINK_TYPES_V1 } = await import('@/lib/share/link-tables');
  for (const [type, params] of LINK_TYPES_V1) {
    const spec = LAYERS.find((l) => l.type === type);
    expect([type, spec !== undefined]).toEqual([type, true]);
    // A param may be added to a layer; none of format 1's may be renamed or removed.
    expect([type, params.filter((p) => !(p in spec!.params))]).toEqual([type, []]);
  }
});
