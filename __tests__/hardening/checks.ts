/**
 * What every fuzz case must satisfy, as plain functions that return a problem (or null) so that
 * tens of thousands of cases cost no matcher overhead: the first problems found are reported.
 */
import { compileUnknown, DIAGNOSTIC_CODES, type CompileOutcome, type Diagnostic } from '@/graph-compiler';

/** Slowest a single case may take before the suite calls it a hang (not a speed target). */
export const HANG_GUARD_MS = 5000;

const codes = DIAGNOSTIC_CODES as Record<string, { severity: string }>;

function diagnosticProblem(d: Diagnostic): string | null {
  if (!Object.hasOwn(codes, d.code)) return `unknown code ${JSON.stringify(d.code)}`;
  if (codes[d.code].severity !== d.severity) return `${d.code} has severity ${d.severity}`;
  if (typeof d.message !== 'string' || d.message.length === 0) return `${d.code} has no message`;
  if (d.message.length > 2001) return `${d.code} message is ${d.message.length} characters`;
  if (/TypeError|RangeError|Cannot convert|\[object |is not a function|Maximum call stack|Invalid string length/.test(d.message)) {
    return `${d.code} message leaks a JavaScript error: ${d.message.slice(0, 200)}`;
  }
  return null;
}

const exact = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Checks one compile outcome: codes, messages, exact figures. */
export function outcomeProblem(out: CompileOutcome): string | null {
  if (!out.ok) {
    if (!Object.hasOwn(codes, out.code)) return `fatal with unknown code ${out.code}`;
    if (!out.fatal) return 'fatal without a message';
    return diagnosticProblem({ severity: 'error', code: out.code, message: out.fatal });
  }
  const r = out.result;
  for (const d of r.diagnostics) {
    const p = diagnosticProblem(d);
    if (p) return p;
  }
  if (!r.ok && !r.diagnostics.some((d) => d.severity === 'error')) return 'rejected (ok: false) without an error diagnostic';
  if (r.ok && r.diagnostics.some((d) => d.severity === 'error')) return 'ok: true with an error diagnostic';
  for (const [k, v] of Object.entries(r.totals)) if (!exact(v)) return `total ${k} is ${v}, not an exact whole number`;
  if (Object.getPrototypeOf(r.nodes) !== null) return 'result.nodes has a prototype';
  for (const id of r.order) {
    const n = r.nodes[id];
    if (!n) return `order names ${JSON.stringify(id)} without a node result`;
    if (n.outputShape && !n.outputShape.every(exact)) return `${id}: output shape ${JSON.stringify(n.outputShape)} is not exact`;
    if (n.paramCount && !(exact(n.paramCount.trainable) && exact(n.paramCount.nonTrainable))) return `${id}: param count not exact`;
    if (n.macs !== null && !exact(n.macs)) return `${id}: MACs ${n.macs} not exact`;
  }
  return null;
}

/** Compiles a value, timing it; a throw is a problem, never an exception of the suite. */
export function compileChecked(value: unknown): { out: CompileOutcome | null; ms: number; problem: string | null } {
  const t0 = performance.now();
  let out: CompileOutcome;
  try {
    out = compileUnknown(value);
  } catch (e) {
    return { out: null, ms: performance.now() - t0, problem: `compile threw: ${(e as Error)?.stack ?? String(e)}` };
  }
  const ms = performance.now() - t0;
  const problem = outcomeProblem(out) ?? (ms > HANG_GUARD_MS ? `took ${ms.toFixed(0)} ms` : null);
  return { out, ms, problem };
}

/** Own property names and descriptors of the built-in prototypes, to compare before and after. */
export function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|');
}

/** Timing figures for the console: count, median, 99th percentile and slowest, in ms. */
export function timing(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? 0;
  return `${s.length} cases: median ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, slowest ${(s.at(-1) ?? 0).toFixed(1)} ms, total ${(s.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`;
}
