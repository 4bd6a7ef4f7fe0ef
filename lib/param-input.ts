/**
 * Text ↔ param values for the inspector. A field's text is parsed into the value a document
 * holds (a number stays a number, `5, 3` becomes `[5, 3]`) and checked with the param's own zod
 * schema; a bad value gives a message and never reaches the document.
 */
import type { ParamSpec } from '@/graph-compiler';

export type ParsedParam = { ok: true; value: unknown } | { ok: false; message: string };

/** `kernelSize` → `Kernel size`, `l2` → `L2`. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/** The text a field shows for a document value. */
export function formatParam(spec: ParamSpec, raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'number' || typeof raw === 'string' || typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw) && spec.kind === 'matrix' && raw.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'))) {
    return (raw as number[][]).map((row) => row.join(' ')).join('; ');
  }
  if (Array.isArray(raw) && (spec.kind === 'shape' || spec.kind === 'intOrPair' || spec.kind === 'padding2d')) {
    const items = flat(raw);
    if (items.every((x) => typeof x === 'number')) return items.join(', ');
  }
  return JSON.stringify(raw);
}

function numbers(text: string): number[] | null {
  const parts = text.replace(/[[\]()]/g, ' ').split(/[\s,;×x*]+/).filter(Boolean);
  const values = parts.map(Number);
  return parts.length > 0 && values.every((v) => Number.isFinite(v)) ? values : null;
}

/** The document value for a field's text, or why it cannot be one. */
export function parseParam(spec: ParamSpec, text: string): ParsedParam {
  const t = text.trim();
  if (t === '') {
    return spec.required ? { ok: false, message: `Required: ${spec.describe}.` } : { ok: true, value: undefined };
  }
  let value: unknown;
  switch (spec.kind) {
    case 'int':
    case 'float': {
      value = Number(t);
      if (!Number.isFinite(value as number)) return { ok: false, message: `Enter ${spec.describe}.` };
      break;
    }
    case 'intOrPair': {
      const v = numbers(t);
      if (!v || v.length > 2) return { ok: false, message: `Enter ${spec.describe}, e.g. 3 or 3, 5.` };
      value = v.length === 1 ? v[0] : v;
      break;
    }
    case 'shape': {
      const v = numbers(t);
      if (!v) return { ok: false, message: `Enter ${spec.describe}.` };
      value = v;
      break;
    }
    case 'padding2d': {
      const v = numbers(t);
      if (!v || v.length === 3 || v.length > 4) return { ok: false, message: `Enter ${spec.describe}.` };
      value = v.length === 1 ? v[0] : v.length === 2 ? v : [[v[0], v[1]], [v[2], v[3]]];
      break;
    }
    case 'matrix': {
      // Rows by rows: `0 -1 0; -1 5 -1; 0 -1 0`, or the numbers in reading order.
      const v = numbers(t);
      if (!v || v.length !== spec.rows * spec.cols) return { ok: false, message: `Enter ${spec.rows * spec.cols} numbers (${spec.rows} rows of ${spec.cols}), e.g. 0 -1 0; -1 5 -1; 0 -1 0.` };
      value = Array.from({ length: spec.rows }, (_, r) => v.slice(r * spec.cols, (r + 1) * spec.cols));
      break;
    }
    case 'bool':
      value = t === 'true';
      break;
    default:
      value = t;
  }
  return spec.schema.safeParse(value).success ? { ok: true, value } : { ok: false, message: `Must be ${spec.describe}.` };
}

/** Placeholder text of an empty optional field: what the layer uses instead. */
export function placeholderFor(key: string, spec: ParamSpec): string {
  if (spec.default !== undefined) return formatParam(spec, spec.default);
  if (key === 'strides') return 'same as pool size';
  return spec.required ? 'required' : 'default';
}
