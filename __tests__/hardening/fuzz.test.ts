/**
 * The fuzz suite: at least 10,000 documents and 10,000 links per run, as a hostile user would
 * send them. Documents are mutations of the fixtures and templates (structural and textual)
 * and small graphs fast-check builds from scratch. For each: the compiler never throws and
 * never hangs (each case is timed; the figures are printed, and only a generous hang guard is
 * asserted), every rejected input carries a diagnostic with a code from the table, every total
 * is an exact whole number, and no built-in prototype gains a property. Every document that is
 * a graph goes through a link and back: the same result (ok, totals, diagnostics), and the
 * link made again from what came back is the same link. Hostile link payloads (a mutated
 * compact value, changed characters, a cut) always give one of the link's own messages, and
 * hostile files (mutated JSON text, PNGs carrying a graph with bytes changed or cut) one of the
 * file reader's.
 */
import fc from 'fast-check';
import { strToU8 } from 'fflate';
import type { CompileResult } from '@/graph-compiler';
import { isGeneratedId, toCompact } from '@/lib/share/compact';
import { openFileBytes } from '@/lib/share/file';
import { decodeLink, encodeLink, MAX_LINK_NODES, packPayload } from '@/lib/share/link';
import { embedDocumentInPng } from '@/lib/share/png-text';
import { compileChecked, prototypeSnapshot, timing } from './checks';
import { arbitraryGraph, mutate, mutateText, pickSeed, PROTO_NAMES, rng, seeds, type Rand } from './corpus';

const SEED = Number(process.env.LAYERBOARD_FUZZ_SEED ?? 20261202);
const STRUCTURAL = 7000;
const TEXTUAL = 2000;
const GENERATED = 3000;
const HOSTILE_LINKS = 3000;
const FILES = 1000;

const LINK_REASONS = new Set(['empty', 'not-base64', 'version', 'truncated', 'corrupt', 'oversized', 'too-many-nodes', 'not-graph']);
const LEAK = /TypeError|RangeError|Cannot convert|\[object |is not a function|Maximum call stack|Invalid string length|undefined/;

const problems: string[] = [];
const note = (where: string, problem: string) => {
  if (problems.length < 20) problems.push(`${where}: ${problem}`);
};
const compileMs: number[] = [];
const linkMs: number[] = [];
let documents = 0;
let links = 0;
const outcomes = { refused: 0, errors: 0, ok: 0 };

const summary = (r: CompileResult) => JSON.stringify({
  ok: r.ok,
  totals: r.totals,
  diagnostics: r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.nodeId ?? ''} ${d.message}`).sort(),
});
const codesOnly = (r: CompileResult) => JSON.stringify({ ok: r.ok, totals: r.totals, codes: r.diagnostics.map((d) => d.code).sort() });

/** Compiles one case and, when it is a graph a link can carry, sends it through a link and back. */
function check(where: string, value: unknown): void {
  documents++;
  const { out, ms, problem } = compileChecked(value);
  compileMs.push(ms);
  if (problem) return note(where, problem);
  if (out) outcomes[!out.ok ? 'refused' : out.result.ok ? 'ok' : 'errors']++;
  if (!out || !out.ok || out.doc.nodes.length > MAX_LINK_NODES) return;
  const t0 = performance.now();
  let link;
  let back;
  try {
    link = encodeLink(out.doc);
    if (!link.ok) return note(where, `no link: ${link.message}`);
    links++;
    back = decodeLink(link.fragment);
  } catch (e) {
    return note(where, `link threw: ${(e as Error).stack}`);
  }
  if (!back.ok) return note(where, `the link does not open: ${back.message}`);
  const again = encodeLink(back.doc);
  linkMs.push(performance.now() - t0);
  if (!again.ok || again.payload !== link.payload) return note(where, 'the link made from the opened link differs');
  // Generated ids come back as n<index>, so messages naming them differ; the rest must not.
  const generated = out.doc.nodes.some((n) => n && typeof n.id === 'string' && isGeneratedId(n.id));
  const same = generated ? codesOnly(back.result) === codesOnly(out.result) : summary(back.result) === summary(out.result);
  if (!same) note(where, `a link changes the result:\n  ${summary(out.result)}\n  ${summary(back.result)}`);
}

const before = prototypeSnapshot();
const all = seeds();

afterAll(() => {
  console.log([
    `Fuzz (seed ${SEED}): ${documents.toLocaleString('en-US')} documents, ${links.toLocaleString('en-US')} links round-tripped, ${HOSTILE_LINKS.toLocaleString('en-US')} hostile links.`,
    `outcomes: ${outcomes.refused.toLocaleString('en-US')} refused at the door, ${outcomes.errors.toLocaleString('en-US')} with errors, ${outcomes.ok.toLocaleString('en-US')} without.`,
    `compile per document: ${timing(compileMs)}`,
    `link round trip (encode, decode with compile, encode again): ${timing(linkMs)}`,
  ].join('\n'));
});

describe('fuzz', () => {
  test(`${STRUCTURAL.toLocaleString('en-US')} structural mutations of the fixtures and templates`, () => {
    const r = rng(SEED);
    for (let i = 0; i < STRUCTURAL; i++) check(`structural #${i}`, mutate(pickSeed(all, r), r));
    expect(problems).toEqual([]);
  });

  test(`${TEXTUAL.toLocaleString('en-US')} textual mutations (1e999, byte-order marks, cuts, changed characters, __proto__ keys)`, () => {
    const r = rng(SEED + 1);
    let parsed = 0;
    for (let i = 0; i < TEXTUAL; i++) {
      const text = mutateText(JSON.stringify(pickSeed(all, r)), r);
      let value: unknown;
      try {
        value = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch {
        continue; // not JSON: every reader says so before the compiler sees it
      }
      parsed++;
      check(`textual #${i}`, value);
    }
    expect(parsed).toBeGreaterThan(TEXTUAL / 3);
    expect(problems).toEqual([]);
  });

  test(`${GENERATED.toLocaleString('en-US')} small graphs from fast-check`, () => {
    const graphs = fc.sample(arbitraryGraph, { numRuns: GENERATED, seed: SEED });
    graphs.forEach((g, i) => check(`generated #${i}`, g));
    expect(problems).toEqual([]);
  });

  test('at least 10,000 documents and 10,000 links per run', () => {
    expect(documents).toBeGreaterThanOrEqual(10_000);
    expect(links).toBeGreaterThanOrEqual(10_000);
  });

  test(`${HOSTILE_LINKS.toLocaleString('en-US')} hostile links: mutated compact values, changed characters, cuts`, () => {
    const r: Rand = rng(SEED + 2);
    const small = all.filter((d) => d.nodes.length <= 40);
    const hostile: unknown[] = [{ toString: 1 }, { valueOf: 1, toString: 1 }, -1, 1.5, 2 ** 60, 'x', null, [], {}, [[[]]], PROTO_NAMES[0], true];
    const swap = (v: unknown, depth: number): unknown => {
      if (Array.isArray(v)) return v.map((x) => (r() < 0.08 ? hostile[Math.floor(r() * hostile.length)] : depth < 4 ? swap(x, depth + 1) : x));
      return v;
    };
    for (let i = 0; i < HOSTILE_LINKS; i++) {
      const doc = small[Math.floor(r() * small.length)];
      let fragment: string;
      if (i % 3 === 0) fragment = `#g=${packPayload(strToU8(JSON.stringify(swap(toCompact(doc), 0))))}`;
      else {
        const link = encodeLink(doc);
        if (!link.ok) continue;
        const at = 3 + Math.floor(r() * (link.fragment.length - 3));
        fragment = i % 3 === 1 ? link.fragment.slice(0, at) + 'AbZ_-9'[Math.floor(r() * 6)] + link.fragment.slice(at + 1) : link.fragment.slice(0, at);
      }
      let out;
      try {
        out = decodeLink(fragment);
      } catch (e) {
        note(`hostile link #${i}`, `threw ${(e as Error).stack}`);
        continue;
      }
      if (out.ok) {
        const { problem } = compileChecked(out.doc);
        if (problem) note(`hostile link #${i}`, problem);
      } else if (!LINK_REASONS.has(out.reason) || LEAK.test(out.message)) note(`hostile link #${i}`, `${out.reason}: ${out.message}`);
    }
    expect(problems).toEqual([]);
  });

  test(`${FILES.toLocaleString('en-US')} hostile files: mutated JSON text and PNGs carrying a graph, bytes changed or cut`, () => {
    const r: Rand = rng(SEED + 3);
    const small = all.filter((d) => d.nodes.length <= 40);
    // The smallest valid PNG (1×1, grey), with a graph embedded as Layerboard exports it.
    const png = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64'));
    for (let i = 0; i < FILES; i++) {
      const doc = small[Math.floor(r() * small.length)];
      let bytes: Uint8Array;
      if (i % 2 === 0) bytes = strToU8(mutateText(JSON.stringify(doc), r));
      else {
        bytes = embedDocumentInPng(png, mutate(doc, r));
        const at = Math.floor(r() * bytes.length);
        bytes = r() < 0.5 ? bytes.slice(0, at) : Uint8Array.from(bytes, (b, k) => (k === at ? b ^ (1 + Math.floor(r() * 255)) : b));
      }
      let opened;
      try {
        opened = openFileBytes(`case-${i}.json`, bytes);
      } catch (e) {
        note(`hostile file #${i}`, `threw ${(e as Error).stack}`);
        continue;
      }
      if (opened.ok) {
        const { problem } = compileChecked(opened.doc);
        if (problem) note(`hostile file #${i}`, problem);
      } else if (LEAK.test(opened.message.replace(/ is not JSON \(.*\)\.$/, ''))) note(`hostile file #${i}`, opened.message);
    }
    expect(problems).toEqual([]);
  });

  test('no built-in prototype gained or lost a property', () => {
    expect(prototypeSnapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
