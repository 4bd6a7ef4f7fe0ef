/**
 * Declarative layer params. Each layer module declares its params with these builders; the
 * validate pass, the inspector form, the palette help and the TypeScript type of a layer's
 * params are all derived from the declaration. Validity is decided by a zod schema; the
 * message says in words what was expected (`describe`).
 */
import { z } from 'zod';

/** Names accepted wherever a layer takes an activation (docs/graph-format.md). */
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus',
  'softsign', 'swish', 'gelu', 'leakyRelu', 'step',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** A pair of whole numbers for the two spatial axes: `[height, width]`. */
export type IntPair = [number, number];
/** Zero padding as `[[top, bottom], [left, right]]`. */
export type Padding2D = [[number, number], [number, number]];

interface SpecBase<T> {
  /** One line for the inspector and the palette tooltip. */
  help: string;
  /** A required param has no default; leaving it out is an error. */
  required?: boolean;
  /** The documented default, already in normalised form. */
  default?: T;
  /**
   * The value a new node starts with, for a required param (a layer dropped on the canvas must
   * compile at once): Dense starts with 10 units, Conv2D with 32 filters of 3×3.
   */
  initial?: unknown;
  /** Shown folded under "Advanced" in the inspector (regularization factors, rarely changed). */
  advanced?: boolean;
  /** Shown in the inspector only while another param has this value (leakyRelu's alpha). */
  shownWhen?: { param: string; equals: string };
  /** zod schema of the raw document value; its output is the normalised value. */
  schema: z.ZodType<T>;
  /** What a valid value is, in words: `a whole number ≥ 1`. */
  describe: string;
  /**
   * Accepts the common valid forms without zod (the editor recompiles on every keystroke);
   * returns undefined to let the schema decide. Must never accept what the schema rejects.
   */
  fast?: (raw: unknown) => T | undefined;
}

export interface IntSpec extends SpecBase<number> { kind: 'int'; min?: number; max?: number }
export interface FloatSpec extends SpecBase<number> {
  kind: 'float'; min?: number; max?: number; maxExclusive?: boolean; minExclusive?: boolean; step?: number;
}
export interface ChoiceSpec<O extends string = string> extends SpecBase<O> {
  kind: 'choice';
  options: readonly O[];
  /** What the inspector shows for each option, when the value itself reads badly ("edgeVertical"). */
  titles?: Readonly<Partial<Record<O, string>>>;
}
export interface BoolSpec extends SpecBase<boolean> { kind: 'bool' }
export interface IntPairSpec extends SpecBase<IntPair> { kind: 'intOrPair'; min: number }
export interface ShapeSpec extends SpecBase<number[]> { kind: 'shape'; allowInferred: boolean }
export interface Padding2DSpec extends SpecBase<Padding2D> { kind: 'padding2d' }
export interface MatrixSpec extends SpecBase<number[][]> { kind: 'matrix'; rows: number; cols: number }

export type ParamSpec =
  | IntSpec | FloatSpec | ChoiceSpec | BoolSpec | IntPairSpec | ShapeSpec | Padding2DSpec | MatrixSpec;

/** A layer's params: name → declaration. */
export type ParamDecls = Record<string, ParamSpec>;

type ValueOf<S> = S extends SpecBase<infer T> ? T : never;
type HasValue<S> = S extends { required: true } ? true : S extends { default: unknown } ? true : false;

/** The TypeScript type of a layer's validated params, derived from its declaration. */
export type ParamsOf<D extends ParamDecls> = {
  [K in keyof D]: HasValue<D[K]> extends true ? ValueOf<D[K]> : ValueOf<D[K]> | undefined;
};

const isWhole = (v: unknown, min = -Infinity, max = Infinity): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

const wholeNumber = (min?: number, max?: number) => {
  let s = z.number().int();
  if (min !== undefined) s = s.min(min);
  if (max !== undefined) s = s.max(max);
  return s;
};

function rangeWords(min?: number, max?: number, minExclusive = false, maxExclusive = false): string {
  const lo = min === undefined ? '' : `${minExclusive ? '>' : '≥'} ${min}`;
  const hi = max === undefined ? '' : `${maxExclusive ? '<' : '≤'} ${max}`;
  if (lo && hi) return ` ${lo} and ${hi}`;
  return lo || hi ? ` ${lo || hi}` : '';
}

type Opt<T> = { help: string; required?: boolean; default?: T; initial?: unknown; advanced?: boolean; shownWhen?: { param: string; equals: string } };

/** A whole number, e.g. `units`. */
export function int<const O extends Opt<number> & { min?: number; max?: number }>(o: O) {
  return {
    kind: 'int', ...o, schema: wholeNumber(o.min, o.max), describe: `a whole number${rangeWords(o.min, o.max)}`,
    fast: (v: unknown) => (isWhole(v, o.min, o.max) ? v : undefined),
  } as IntSpec & O;
}

/** A real number, e.g. a dropout `rate` in [0, 1). */
export function float<const O extends Opt<number> & {
  min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; step?: number;
}>(o: O) {
  let s = z.number();
  if (o.min !== undefined) s = o.minExclusive ? s.gt(o.min) : s.gte(o.min);
  if (o.max !== undefined) s = o.maxExclusive ? s.lt(o.max) : s.lte(o.max);
  return {
    kind: 'float', ...o, schema: s,
    describe: `a number${rangeWords(o.min, o.max, o.minExclusive, o.maxExclusive)}`,
    fast: (v: unknown) => (typeof v === 'number' && Number.isFinite(v)
      && (o.min === undefined || (o.minExclusive ? v > o.min : v >= o.min))
      && (o.max === undefined || (o.maxExclusive ? v < o.max : v <= o.max)) ? v : undefined),
  } as FloatSpec & O;
}

/** One of a fixed list of strings. */
export function choice<const T extends string, const O extends Opt<T> & { titles?: Readonly<Partial<Record<T, string>>> }>(options: readonly T[], o: O) {
  return {
    kind: 'choice', options, ...o,
    schema: z.enum(options as [T, ...T[]]),
    describe: `one of ${options.map((x) => `"${x}"`).join(', ')}`,
    fast: (v: unknown) => (options.includes(v as T) ? v : undefined),
  } as unknown as ChoiceSpec<T> & O;
}

/** true or false. */
export function bool<const O extends Opt<boolean>>(o: O) {
  return {
    kind: 'bool', ...o, schema: z.boolean(), describe: 'true or false',
    fast: (v: unknown) => (typeof v === 'boolean' ? v : undefined),
  } as BoolSpec & O;
}

/** A whole number or `[height, width]`, normalised to a pair: kernel sizes, strides, dilation. */
export function intOrPair<const O extends Opt<IntPair> & { min?: number }>(o: O) {
  const min = o.min ?? 1;
  const n = wholeNumber(min);
  const schema = z.union([n.transform((v): IntPair => [v, v]), z.tuple([n, n])]) as z.ZodType<IntPair>;
  return {
    kind: 'intOrPair', ...o, min, schema,
    describe: `a whole number ≥ ${min} or a pair [height, width] of them`,
    fast: (v: unknown) => (isWhole(v, min) ? [v, v]
      : Array.isArray(v) && v.length === 2 && isWhole(v[0], min) && isWhole(v[1], min) ? [v[0], v[1]] : undefined),
  } as IntPairSpec & O;
}

/** A tensor shape without the batch axis. With `allowInferred`, one entry may be -1 (Reshape). */
export function shape<const O extends Opt<number[]> & { allowInferred?: boolean }>(o: O) {
  const allowInferred = o.allowInferred ?? false;
  let schema: z.ZodType<number[]> = z.array(allowInferred ? z.number().int().refine((v) => v >= 1 || v === -1) : wholeNumber(1)).min(1);
  if (allowInferred) schema = schema.refine((a) => a.filter((v) => v === -1).length <= 1);
  return {
    kind: 'shape', ...o, allowInferred, schema,
    fast: (v: unknown) => (Array.isArray(v) && v.length > 0 && v.every((d) => isWhole(d, 1)) ? [...v] : undefined),
    describe: allowInferred
      ? 'a list of whole numbers ≥ 1 (one of them may be -1, meaning "whatever is left"), e.g. [7, 7, 64]'
      : 'a list of whole numbers ≥ 1, e.g. [28, 28, 1]',
  } as ShapeSpec & O;
}

/** ZeroPadding2D's padding: `n`, `[rows, cols]` or `[[top, bottom], [left, right]]`. */
export function padding2d<const O extends Opt<Padding2D>>(o: O) {
  const n = wholeNumber(0);
  const schema = z.union([
    n.transform((v): Padding2D => [[v, v], [v, v]]),
    z.tuple([n, n]).transform(([r, c]): Padding2D => [[r, r], [c, c]]),
    z.tuple([z.tuple([n, n]), z.tuple([n, n])]),
  ]) as z.ZodType<Padding2D>;
  return {
    kind: 'padding2d', ...o, schema,
    describe: 'a whole number ≥ 0, [rows, cols], or [[top, bottom], [left, right]]',
  } as Padding2DSpec & O;
}

/** A rows × cols grid of numbers, rows first: a Conv2D's custom 3×3 kernel. */
export function matrix<const O extends Opt<number[][]> & { rows: number; cols: number }>(o: O) {
  const schema = z.array(z.array(z.number()).length(o.cols)).length(o.rows);
  return {
    kind: 'matrix', ...o, schema,
    describe: `${o.rows} rows of ${o.cols} numbers, e.g. [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]`,
    fast: (v: unknown) => (Array.isArray(v) && v.length === o.rows && v.every((r) => Array.isArray(r) && r.length === o.cols && r.every((x) => typeof x === 'number' && Number.isFinite(x)))
      ? v.map((r: number[]) => [...r]) : undefined),
  } as MatrixSpec & O;
}

/** An activation name, as the Activation layer takes it. */
export function activation<const O extends Opt<ActivationName>>(o: O) {
  return choice(ACTIVATIONS, o);
}

/**
 * The params of an activation choice, declared once for every layer that has one (Dense, the
 * convolutions, Activation): the function, and leakyRelu's slope for x < 0, which the
 * inspector shows while leakyRelu is chosen.
 */
export function activationParams<const O extends Opt<ActivationName>>(o: O) {
  return {
    activation: activation(o),
    alpha: float({ min: 0, default: 0.01, step: 0.01, help: 'Slope for x < 0 (leakyRelu only)', shownWhen: { param: 'activation', equals: 'leakyRelu' } }),
  };
}

/** The kernel regularization factors every layer with weights takes (docs/graph-format.md). */
export const regularizerParams = {
  l1: float({ min: 0, default: 0, step: 0.0001, advanced: true, help: 'L1 penalty on the kernel weights (sum of |w|), 0 for none' }),
  l2: float({ min: 0, default: 0, step: 0.0001, advanced: true, help: 'L2 penalty on the kernel weights (sum of w²), 0 for none' }),
};

/** Shows a raw document value in a message, whatever it is. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(v) ?? typeof v;
  } catch {
    // Not JSON (a cycle, a BigInt, nesting past the stack): say what it is, never String(v),
    // which throws for objects without a prototype.
    text = Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
  }
  return text.length > MAX_FORMATTED_CHARS ? `${text.slice(0, MAX_FORMATTED_CHARS)}…` : text;
}

/** Longest value shown in a message. */
const MAX_FORMATTED_CHARS = 120;

/** Validates one raw value against its declaration. */
export function checkParam(spec: ParamSpec, raw: unknown): { ok: true; value: unknown } | { ok: false } {
  const quick = (spec.fast as ((v: unknown) => unknown) | undefined)?.(raw);
  if (quick !== undefined) return { ok: true, value: quick };
  const r = spec.schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false };
}
