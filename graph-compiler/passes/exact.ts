/**
 * Exact numbers: every shape, count, MACs and byte figure the compiler gives is a whole number
 * of at most `Number.MAX_SAFE_INTEGER` (2^53 − 1). Past it a float64 no longer holds every
 * whole number (2^53 + 1 reads as 2^53), so a total would be silently wrong; the node where a
 * figure first passes it gets a `number-too-large` error with its arithmetic instead.
 */
import { thousands } from '../format';

/** Values per example above which a tensor earns the `huge-tensor` warning (1 GiB of float32). */
export const HUGE_TENSOR_VALUES = 2 ** 28;

/** The limit, written out once for every message. */
export const SAFE_LIMIT_TEXT = `${thousands(Number.MAX_SAFE_INTEGER)} (2^53 − 1), the largest whole number counted exactly`;

export const isExact = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** `1,234` when exact, `≈ 3.00e+18` when not (or `Infinity`). */
export function approx(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return isExact(n) ? thousands(n) : `≈ ${n.toExponential(2)}`;
}

/** `= 1,234` when exact, `≈ 3.00e+18` when not: the right-hand side of an equation. */
export function equals(n: number): string {
  return isExact(n) ? `= ${thousands(n)}` : approx(n).startsWith('≈') ? approx(n) : `= ${approx(n)}`;
}

/**
 * Why a shape is not exact (a dimension, or the number of values, past the limit), with the
 * arithmetic; null when it is exact.
 */
export function shapeProblem(shape: readonly number[]): string | null {
  const bad = shape.findIndex((d) => !isExact(d));
  if (bad >= 0) return `output axis ${bad + 1} would be ${approx(shape[bad])}, more than ${SAFE_LIMIT_TEXT}`;
  let n = 1;
  for (const d of shape) n *= d;
  if (isExact(n)) return null;
  const factors = shape.length <= 8 ? shape.map(thousands).join(' · ') : `${shape.slice(0, 8).map(thousands).join(' · ')} · … (${shape.length} axes)`;
  return `its output holds ${factors} ${equals(n)} values per example, more than ${SAFE_LIMIT_TEXT}`;
}

/** `a + b`, or null when the sum is not exact. */
export function exactSum(a: number, b: number): number | null {
  const s = a + b;
  return isExact(s) ? s : null;
}
