/**
 * Seeded randomness for data sets and runs: the same seed gives the same points, the same
 * split and the same shuffles in every browser, in Node, and in the exported Python script,
 * which carries an exact port (`PY_RNG`: the same 32-bit integer steps, masked, and the same
 * floating-point formulas, so the same seed draws the same numbers).
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
 * The generator above in Python, for exported scripts: `_Mulberry32(seed)()` returns the same
 * numbers as `mulberry32(seed)()` (JavaScript's 32-bit `Math.imul` and `>>>` done on Python
 * integers masked to 32 bits), and the helpers draw in the same order as their TypeScript twins.
 */
export const PY_RNG = `class _Mulberry32:
    """Layerboard's seeded generator (mulberry32), bit for bit as the browser runs it."""

    def __init__(self, seed):
        self.a = seed & 0xFFFFFFFF

    def __call__(self):
        m = 0xFFFFFFFF
        self.a = (self.a + 0x6D2B79F5) & m
        t = self.a
        t = ((t ^ (t >> 15)) * (t | 1)) & m
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & m)) & m
        return ((t ^ (t >> 14)) & m) / 4294967296


def _uniform(rand, a, b):
    return a + rand() * (b - a)


def _normal(rand, mean, std):
    u = 0.0
    while u == 0.0:
        u = rand()
    v = rand()
    return mean + std * math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v)


def _shuffle(items, rand):
    """Fisher-Yates from the end, as the browser shuffles."""
    for i in range(len(items) - 1, 0, -1):
        j = math.floor(rand() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def _js_round(x):
    """JavaScript's Math.round: halves go up (Python's round() goes to even)."""
    r = math.floor(x)
    return r + 1 if x - r >= 0.5 else r`;
