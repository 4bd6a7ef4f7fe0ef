/**
 * Seeded randomness for runs. The generators themselves are pure and live with the data set
 * modules (`graph-compiler/datasets/rng.ts`), which the exported Python script ports exactly.
 */
import { mulberry32 } from '@/graph-compiler/datasets/rng';

export { mulberry32, normal, permutation, shuffleInPlace, uniform, type Random } from '@/graph-compiler/datasets/rng';

/**
 * Runs `fn` with `Math.random` replaced by a seeded generator. tfjs initializers draw their
 * seed from `Math.random` when none is given, so building a model inside this call makes its
 * initial weights depend on `seed` alone. `fn` must be synchronous.
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed ^ 0x9e3779b9);
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
