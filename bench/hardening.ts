/**
 * The slow inputs of the hardening issue, timed: each was seconds or minutes (or a crash) and
 * must now be linear. Figures only; the tests assert behaviour, never time.
 */
import { compile, type GraphDocument } from '../graph-compiler';
import { layeredPositions } from '../lib/layout';
import { decodeLink, encodeLink } from '../lib/share/link';

const doc = (nodes: unknown[], edges: [string, string][]): GraphDocument => ({
  format: 'layerboard.graph', version: 1, nodes, edges: edges.map(([source, target]) => ({ source, target })),
} as GraphDocument);
const dense = (id: string) => ({ id, type: 'Dense', params: { units: 2 } });

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

export async function runHardeningBench(): Promise<string> {
  const rows: string[][] = [];
  const add = (what: string, ms: number, note = '') => rows.push([what, `${ms.toFixed(0)} ms`, note]);

  const ring = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
  const cycle = doc([{ id: 'in', type: 'Input', params: { shape: [4] } }, ...ring.map(dense)],
    [['in', 'n0'], ...ring.map((id, i) => [id, ring[(i + 1) % ring.length]] as [string, string])]);
  const c = time(() => compile(cycle));
  add('compile a 10,000-node cycle', c.ms, `${c.value.diagnostics.length} diagnostic(s), JSON ${JSON.stringify(c.value.diagnostics).length.toLocaleString('en-US')} chars`);

  const small: unknown[] = [{ id: 'in', type: 'Input', params: { shape: [4] } }];
  const smallEdges: [string, string][] = [];
  for (let i = 0; i < 999; i++) {
    small.push(dense(`a${i}`), dense(`b${i}`));
    smallEdges.push(['in', `a${i}`], [`a${i}`, `b${i}`], [`b${i}`, `a${i}`]);
  }
  const cycles = doc(small, smallEdges.reverse());
  const enc = time(() => encodeLink(cycles));
  add('encodeLink, 999 small cycles, edges reversed', enc.ms, enc.value.ok ? `${enc.value.fragment.length.toLocaleString('en-US')} chars` : enc.value.message);
  if (enc.value.ok) {
    const fragment = enc.value.fragment;
    const dec = time(() => decodeLink(fragment));
    add('decodeLink of that link (with compile)', dec.ms, dec.value.ok ? `${dec.value.result.diagnostics.length} diagnostics` : dec.value.message);
    add('compile of the same document alone', time(() => compile(cycles)).ms);
  }

  const fan = Array.from({ length: 1998 }, (_, i) => `d${i}`);
  const reversed = doc([{ id: 'in', type: 'Input', params: { shape: [4] } }, ...fan.map(dense)],
    fan.flatMap((id, i) => [['in', id] as [string, string], ...(i > 0 ? [[fan[i - 1], id] as [string, string]] : [])]).reverse());
  const r = time(() => encodeLink(reversed));
  add(`encodeLink, ${reversed.edges.length.toLocaleString('en-US')} edges in reverse order`, r.ms);

  const chain = Array.from({ length: 5000 }, (_, i) => `c${i}`);
  const long = doc([{ id: 'c-in', type: 'Input', params: { shape: [4] } }, ...chain.map(dense)],
    [['c-in', 'c0'], ...chain.slice(1).map((id, i) => [chain[i], id] as [string, string])]);
  add('cheap layered layout, 5,000-node chain', time(() => layeredPositions(long)).ms);
  const dense600 = Array.from({ length: 600 }, (_, i) => `m${i}`);
  const many = doc(dense600.map(dense), Array.from({ length: 39_000 }, (_, k) => [dense600[k % 600], dense600[(k * 7 + 1) % 600]] as [string, string]));
  add('cheap layered layout, 600 nodes and 39,000 edges', time(() => layeredPositions(many)).ms);
  add('compile, 600 nodes and 39,000 edges', time(() => compile(many)).ms);

  const width = Math.max(...rows.map((row) => row[0].length));
  return ['| Input | Time | Note |', '|---|---:|---|', ...rows.map(([a, b, note]) => `| ${a.padEnd(width)} | ${b} | ${note} |`)].join('\n');
}
