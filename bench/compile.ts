/**
 * Compile benchmark: how long `compile()` takes on graphs of 100, 1,000 and 5,000 nodes
 * (chains, ResNet-like Add blocks, Inception-like Concatenate blocks), cold and after editing
 * one param, against the time tfjs-layers needs to build the same model symbolically.
 *
 *   npx tsx bench/compile.ts             all sizes, then the pass-by-pass table
 *   npx tsx bench/compile.ts 100 1000    chosen sizes
 *   npx tsx bench/compile.ts --passes    only the pass-by-pass table (1,000 nodes, or the size given)
 *
 * Cold figures compile a fresh deep copy of the document on every run, so that no per-node
 * cache keyed by object identity can help; the incremental figure recompiles the same
 * document after replacing one node's params object, as the editor does on an edit. A second
 * table splits one compile into its passes.
 */
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compile, parseDocument, toTfjsModel, type GraphDocument } from '../graph-compiler';
import { orderGraph } from '../graph-compiler/passes/order';
import { inferShapes } from '../graph-compiler/passes/shapes';
import { validateNode } from '../graph-compiler/passes/validate';
import { BENCH_GRAPHS } from './graphs';

tf.env().set('PROD', true);


export interface CompileBenchRow {
  graph: string;
  nodes: number;
  compileMs: number;
  incrementalMs: number;
  tfjsMs: number | null;
  /** How the tfjs figure was obtained when not in this thread, or why it is missing. */
  tfjsNote?: string;
}

export interface CompileBenchOptions {
  sizes?: number[];
  /** Progress lines (e.g. console.error); silent by default. */
  log?: (line: string) => void;
}

const DEFAULT_SIZES = [100, 1_000, 5_000];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs for the compile medians: many for small graphs, fewer for large ones. */
function compileRuns(n: number): number {
  return n <= 100 ? 101 : n <= 1_000 ? 41 : 11;
}

function tfjsRuns(n: number): number {
  return n <= 100 ? 5 : n <= 1_000 ? 3 : 1;
}

/**
 * Fresh deep copies of a document, one per run, each made before its run's clock starts. (No
 * forced garbage collection: V8 shrinks the young generation after one, and the compiles that
 * follow it run slower than any the editor would see.)
 */
function* freshCopies(base: GraphDocument, runs: number): Generator<GraphDocument> {
  for (let i = 0; i < runs; i++) yield structuredClone(base);
}

/** Times `compile` on a fresh deep copy each run (the copy is not timed). */
function timeCold(base: GraphDocument, runs: number): number {
  for (const doc of freshCopies(base, Math.min(5, runs))) compile(doc);
  const ts: number[] = [];
  for (const doc of freshCopies(base, runs)) {
    const t0 = performance.now();
    compile(doc);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

/** A new params object for one node, the shapes unchanged: what an inspector edit produces. */
function edited(node: GraphDocument['nodes'][number], flip: boolean): Record<string, unknown> | null {
  switch (node.type) {
    case 'Dropout': return { ...node.params, rate: flip ? 0.2 : 0.1 };
    case 'BatchNormalization': return { ...node.params, momentum: flip ? 0.9 : 0.99 };
    case 'Conv2D':
    case 'Dense': return { ...node.params, activation: flip ? 'tanh' : 'relu' };
    case 'Activation': return { ...node.params, activation: flip ? 'tanh' : 'relu' };
    default: return null;
  }
}

/** Times `compile` after one param of a middle node is edited in an already compiled document. */
function timeIncremental(base: GraphDocument, runs: number): number {
  const doc = structuredClone(base);
  const mid = doc.nodes.length >> 1;
  let k = mid;
  while (k < doc.nodes.length && !edited(doc.nodes[k], true)) k++;
  if (k === doc.nodes.length) throw new Error(`no editable node after the middle of ${base.name}`);
  compile(doc);
  const ts: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const node = doc.nodes[k];
    doc.nodes = doc.nodes.slice();
    doc.nodes[k] = { ...node, params: edited(node, i % 2 === 0)! };
    const t0 = performance.now();
    const r = compile(doc);
    const dt = performance.now() - t0;
    if (!r.ok) throw new Error(`the edit broke ${base.name}`);
    if (i >= 5) ts.push(dt);
  }
  return median(ts);
}

async function timeTfjs(base: GraphDocument, runs: number): Promise<number> {
  const result = compile(base);
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const model = await toTfjsModel(tf, result);
    ts.push(performance.now() - t0);
    model.dispose();
  }
  return median(ts);
}

/**
 * tfjs-layers walks the model graph recursively (Container's buildMapOfGraph), which overflows
 * the default stack somewhere between 4,000 and 5,000 layers in a chain. Such graphs are built
 * in a worker thread with a large stack instead.
 */
function timeTfjsInWorker(family: string, n: number, runs: number): Promise<number> {
  const root = path.resolve(__dirname, '..');
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const from = (m) => require.resolve(m, { paths: [workerData.root] });
    require(from('tsx/cjs'));
    const tf = require(from('@tensorflow/tfjs'));
    tf.env().set('PROD', true);
    const { compile, toTfjsModel } = require(workerData.root + '/graph-compiler/index.ts');
    const { BENCH_GRAPHS } = require(workerData.root + '/bench/graphs.ts');
    const result = compile(BENCH_GRAPHS.find((g) => g.name === workerData.family).make(workerData.n));
    (async () => {
      const ts = [];
      for (let i = 0; i < workerData.runs; i++) {
        const t0 = performance.now();
        const model = await toTfjsModel(tf, result);
        ts.push(performance.now() - t0);
        model.dispose();
      }
      parentPort.postMessage(ts);
    })().catch((e) => { throw e; });
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { root, family, n, runs }, resourceLimits: { stackSizeMb: 256 } });
    w.once('message', (ts: number[]) => resolve(median(ts)));
    w.once('error', reject);
    w.once('exit', (c) => (c === 0 ? undefined : reject(new Error(`worker exited with ${c}`))));
  });
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** Renders rows as the Markdown table the benchmark prints. */
export function formatCompileBench(rows: CompileBenchRow[]): string {
  const lines = [
    '| graph | nodes | compile median ms | incremental ms | tfjs build ms | ratio (tfjs/compile) | µs per node |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  for (const r of rows) {
    let tfjs = r.tfjsMs === null ? 'n/a' : fmtMs(r.tfjsMs);
    if (r.tfjsNote) {
      notes.push(r.tfjsNote);
      tfjs += ` [${notes.length}]`;
    }
    const ratio = r.tfjsMs === null ? 'n/a' : `${(r.tfjsMs / r.compileMs).toFixed(0)}×`;
    lines.push(`| ${r.graph} | ${r.nodes.toLocaleString('en-US')} | ${fmtMs(r.compileMs)} | ${fmtMs(r.incrementalMs)} | ${tfjs} | ${ratio} | ${((r.compileMs * 1000) / r.nodes).toFixed(2)} |`);
  }
  const out = [lines.join('\n')];
  if (notes.length) out.push(notes.map((n, i) => `[${i + 1}] ${n}`).join('\n'));
  out.push(`Wall-clock medians; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} when the table was made (other processes inflate every figure).`);
  const at1k = rows.filter((r) => r.nodes === 1_000);
  if (at1k.length) {
    const worst = at1k.reduce((a, b) => (b.compileMs > a.compileMs ? b : a));
    const slowest = Math.max(...at1k.map((r) => r.compileMs));
    const minRatio = Math.min(...at1k.filter((r) => r.tfjsMs !== null).map((r) => r.tfjsMs! / r.compileMs));
    out.push(`Goal at 1,000 nodes: compile < 5 ms — ${slowest < 5 ? 'met' : `missed (${worst.graph}: ${fmtMs(slowest)} ms)`}; ` +
      `≥ 50× faster than tfjs — ${minRatio >= 50 ? 'met' : `missed (lowest ratio ${minRatio.toFixed(0)}×)`}.`);
  }
  return out.join('\n\n');
}

/** Gets the JIT to steady state on every graph family before anything is timed. */
function warmUp(): void {
  for (const family of BENCH_GRAPHS) {
    const base = family.make(500);
    for (const doc of freshCopies(base, 40)) compile(doc);
  }
}

/** Measures every graph family at every size and returns the Markdown table. */
export async function runCompileBench(options: CompileBenchOptions = {}): Promise<string> {
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const log = options.log ?? (() => {});
  const rows: CompileBenchRow[] = [];
  warmUp();
  for (const n of sizes) {
    for (const family of BENCH_GRAPHS) {
      const base = family.make(n);
      const check = compile(base);
      if (!check.ok || base.nodes.length !== n) {
        throw new Error(`${family.name}-${n} is not a valid ${n}-node graph: ${check.diagnostics.find((d) => d.severity === 'error')?.message}`);
      }
      const compileMs = timeCold(base, compileRuns(n));
      const incrementalMs = timeIncremental(base, compileRuns(n));
      let tfjsMs: number | null = null;
      let tfjsNote: string | undefined;
      try {
        tfjsMs = await timeTfjs(base, tfjsRuns(n));
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        try {
          tfjsMs = await timeTfjsInWorker(family.name, n, tfjsRuns(n));
          tfjsNote = `${family.name} ${n}: tfjs-layers overflows the default call stack here (recursive Container.buildMapOfGraph); built in a worker thread with a 256 MB stack.`;
        } catch (w) {
          tfjsNote = `${family.name} ${n}: tfjs could not build it: ${(w as Error).message}`;
        }
      }
      rows.push({ graph: family.name, nodes: n, compileMs, incrementalMs, tfjsMs, tfjsNote });
      log(`${family.name} ${n}: compile ${fmtMs(compileMs)} ms, incremental ${fmtMs(incrementalMs)} ms, tfjs ${tfjsMs === null ? 'n/a' : fmtMs(tfjsMs)} ms`);
    }
  }
  return formatCompileBench(rows);
}

/**
 * Where one compile spends its time (medians). Steady state, the same document compiled again
 * and again: parse, validate (cache answering), order, shapes, and the rest of `compile`
 * (per-node results, diagnostics, totals) as the whole minus those passes. Then what a fresh
 * document adds: validation that misses the cache, and a whole cold compile, as in the main
 * table (new objects, cache misses and the garbage collections they bring).
 */
export function runPassProfile(n = 1_000): string {
  warmUp();
  const lines = [
    `| graph (${n.toLocaleString('en-US')} nodes) | parse | validate (cached) | order | shapes | assemble (rest) | compile, same doc | validate, fresh doc | compile, fresh doc |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const family of BENCH_GRAPHS) {
    const doc = family.make(n);
    const t: Record<string, number[]> = { parse: [], cached: [], order: [], shapes: [], warm: [], fresh: [], cold: [] };
    const time = <T>(key: string, f: () => T): T => {
      const t0 = performance.now();
      const r = f();
      t[key].push(performance.now() - t0);
      return r;
    };
    compile(doc);
    for (let i = 0; i < 41; i++) {
      const parsed = time('parse', () => parseDocument(doc));
      if (!parsed.ok) throw new Error(parsed.message);
      const validated = time('cached', () => parsed.nodes.map(validateNode));
      const ordered = time('order', () => orderGraph(validated, parsed.edges));
      time('shapes', () => inferShapes(ordered));
      time('warm', () => compile(doc));
    }
    for (const copy of freshCopies(doc, 41)) {
      const parsed = parseDocument(copy);
      if (parsed.ok) time('fresh', () => parsed.nodes.map(validateNode));
    }
    for (const copy of freshCopies(doc, 41)) time('cold', () => compile(copy));
    const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
    const rest = m.warm - m.parse - m.cached - m.order - m.shapes;
    lines.push(`| ${family.name} | ${[m.parse, m.cached, m.order, m.shapes, Math.max(rest, 0), m.warm, m.fresh, m.cold].map(fmtMs).join(' | ')} |`);
  }
  return lines.join('\n');
}

// Run directly (npx tsx bench/compile.ts), not when bundled into bench/run.ts.
if (/bench[\/]compile\.ts$/.test(process.argv[1] ?? '')) {
  const args = process.argv.slice(2);
  const sizes = args.map(Number).filter((x) => Number.isInteger(x) && x > 1);
  if (args.includes('--passes')) {
    console.log(runPassProfile(sizes[0]));
    process.exit(0);
  }
  runCompileBench({ sizes: sizes.length ? sizes : undefined, log: (l) => console.error(l) }).then(
    (table) => {
      console.log(table);
      console.log(`\nOne compile, pass by pass (ms):\n\n${runPassProfile()}`);
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
