/**
 * The declarative params: the zod schema decides what is valid; the fast path the editor
 * relies on must never accept what the schema rejects, nor normalise differently.
 */
import fc from 'fast-check';
import { LAYERS, type ParamSpec } from '@/graph-compiler';

const specs: [string, ParamSpec][] = LAYERS.flatMap((l) => Object.entries(l.params as Record<string, ParamSpec>).map(([k, s]): [string, ParamSpec] => [`${l.type}.${k}`, s]));

const values = fc.oneof(
  fc.anything(),
  fc.integer({ min: -5, max: 300 }),
  fc.double({ noDefaultInfinity: false }),
  fc.constantFrom(0, 1, 2, -1, 0.5, 0.99, 1.5, Number.NaN, Infinity, 'same', 'valid', 'relu', 'leakyRelu', true, null),
  fc.array(fc.integer({ min: -2, max: 64 }), { maxLength: 4 }),
  fc.tuple(fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 3 })), fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))),
);

test.each(specs)('%s: fast path agrees with its zod schema', (_name, spec) => {
  fc.assert(fc.property(values, (v) => {
    const quick = spec.fast?.(v);
    if (quick === undefined) return;
    const r = spec.schema.safeParse(v);
    expect(r.success).toBe(true);
    expect(quick).toEqual(r.data);
  }), { numRuns: 300 });
});

test('every param has help text, and a default or required', () => {
  for (const [name, spec] of specs) {
    expect([name, spec.help.length > 5]).toEqual([name, true]);
    const optionalNoDefault = name === 'MaxPooling2D.strides' || name === 'AveragePooling2D.strides';
    if (!optionalNoDefault) expect([name, spec.required === true || spec.default !== undefined]).toEqual([name, true]);
    if (spec.default !== undefined) expect([name, spec.schema.safeParse(spec.default).success || spec.kind === 'intOrPair' || spec.kind === 'padding2d']).toEqual([name, true]);
  }
});
