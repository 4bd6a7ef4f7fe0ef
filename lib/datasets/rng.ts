/**
 * Seeded randomness for data sets and runs: the same seed gives the same points, the same
 * split and the same shuffles in every browser and in Node.
 */

/** A uniform generator on [0, 1): mulberry32, 32 bits of state, fast and well mixed. */
export type Random = () => number;

/** mulberry32: a tiny seeded PRNG; good enough for data generation and shuffling. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [a, b). */
export function uniform(rand: Random, a: number, b: number): number {
  return a + rand() * (b - a);
}

/** A normal sample (Box-Muller). */
export function normal(rand: Random, mean = 0, std = 1): number {
  let u = 0;
  while (u === 0) u = rand();
  const v = rand();
  return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Shuffles in place (Fisher-Yates) and returns the array. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(items: T, rand: Random): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/** 0, 1, ..., n-1 in a seeded random order. */
export function permutation(n: number, rand: Random): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rand);
}

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
