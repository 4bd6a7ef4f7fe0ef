import { layerByType, type ParamSpec } from '@/graph-compiler';
import { formatParam, humanize, parseParam } from '@/lib/param-input';

const param = (type: string, key: string) => (layerByType(type)!.params as Record<string, ParamSpec>)[key];

describe('inspector field values', () => {
  it('parses numbers and checks them against the param schema', () => {
    expect(parseParam(param('Dense', 'units'), '128')).toEqual({ ok: true, value: 128 });
    expect(parseParam(param('Dense', 'units'), '2.5')).toMatchObject({ ok: false, message: expect.stringMatching(/whole number ≥ 1/) });
    expect(parseParam(param('Dense', 'units'), '0')).toMatchObject({ ok: false });
    expect(parseParam(param('Dense', 'units'), '')).toMatchObject({ ok: false, message: expect.stringMatching(/^Required/) });
    expect(parseParam(param('Dropout', 'rate'), '1')).toMatchObject({ ok: false });
    expect(parseParam(param('Dropout', 'rate'), '0.25')).toEqual({ ok: true, value: 0.25 });
  });

  it('reads pairs, shapes and paddings as documents hold them', () => {
    expect(parseParam(param('Conv2D', 'kernelSize'), '3')).toEqual({ ok: true, value: 3 });
    expect(parseParam(param('Conv2D', 'kernelSize'), '3, 5')).toEqual({ ok: true, value: [3, 5] });
    expect(parseParam(param('Conv2D', 'kernelSize'), '3×5')).toEqual({ ok: true, value: [3, 5] });
    expect(parseParam(param('Conv2D', 'kernelSize'), '1, 2, 3')).toMatchObject({ ok: false });
    expect(parseParam(param('Input', 'shape'), '[28, 28, 1]')).toEqual({ ok: true, value: [28, 28, 1] });
    expect(parseParam(param('Reshape', 'targetShape'), '7, 7, -1')).toEqual({ ok: true, value: [7, 7, -1] });
    expect(parseParam(param('Input', 'shape'), '28, 0')).toMatchObject({ ok: false });
    expect(parseParam(param('ZeroPadding2D', 'padding'), '1, 2, 3, 4')).toEqual({ ok: true, value: [[1, 2], [3, 4]] });
    expect(parseParam(param('MaxPooling2D', 'strides'), '')).toEqual({ ok: true, value: undefined });
  });

  it('shows values the way people type them', () => {
    expect(formatParam(param('Input', 'shape'), [32, 32, 1])).toBe('32, 32, 1');
    expect(formatParam(param('ZeroPadding2D', 'padding'), [[1, 1], [2, 2]])).toBe('1, 1, 2, 2');
    expect(formatParam(param('Dense', 'units'), undefined)).toBe('');
    expect(humanize('kernelSize')).toBe('Kernel size');
  });
});

describe('a kernel grid field (Conv2D kernel)', () => {
  const spec = layerByType('Conv2D')!.params.kernel as ParamSpec;

  test('shows rows separated by semicolons and reads them back', () => {
    const sharpen = [[0, -1, 0], [-1, 5, -1], [0, -1, 0]];
    expect(formatParam(spec, sharpen)).toBe('0 -1 0; -1 5 -1; 0 -1 0');
    expect(parseParam(spec, '0 -1 0; -1 5 -1; 0 -1 0')).toEqual({ ok: true, value: sharpen });
    expect(parseParam(spec, '1, 1, 1, 1, 1, 1, 1, 1, 1')).toEqual({ ok: true, value: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] });
  });

  test('names how many numbers it needs', () => {
    const r = parseParam(spec, '1 2 3; 4 5 6');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/9 numbers \(3 rows of 3\)/);
  });
});
