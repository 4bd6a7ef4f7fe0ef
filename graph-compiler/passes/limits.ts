/**
 * The limits that keep the compiler's work bounded whatever a document holds, and the check at
 * the door that every other pass relies on: no value nested deeper than `MAX_DEPTH`, and no
 * number JSON cannot carry (NaN, Infinity: `1e999` in a file reads as Infinity, and a link or
 * an autosave would write it back as `null`, changing the document). The check walks the value
 * with an explicit stack, so depth never costs call stack, and stops at the first problem.
 */
import type { DiagnosticCode } from '../diagnostics';
import { visibleText } from '../format';

/** Deepest nesting of arrays and objects a document may have (a real one needs about 6). */
export const MAX_DEPTH = 64;
/** Most nodes a document may have (a link carries at most 2,000). */
export const MAX_NODES = 20_000;
/** Most edges a document may have. */
export const MAX_EDGES = 40_000;
/** Most incoming edges one node may have; the rest are left out with an error. */
export const MAX_INPUTS_PER_NODE = 256;
/** Most diagnostics one compile lists; the rest are counted in one last diagnostic. */
export const MAX_DIAGNOSTICS = 500;
/** Unknown keys (or params) reported one by one per object; the rest are counted. */
export const MAX_UNKNOWN_PER_OBJECT = 10;
/** Longest name, id or key shown in full in a message. */
export const MAX_SHOWN_CHARS = 80;

/** A document refused at the door: its diagnostic code and message. */
export interface DoorProblem {
  code: DiagnosticCode;
  message: string;
}

/**
 * `text` as a message quotes it: cut to `max` characters (with an ellipsis when something was
 * cut), bidirectional controls shown as `⟨U+202E⟩` so that a name cannot reorder the message.
 */
export function clip(text: string, max = MAX_SHOWN_CHARS): string {
  return visibleText(text.length <= max ? text : `${text.slice(0, max)}…`);
}

function pathText(path: (string | number)[]): string {
  let out = '';
  for (const p of path) {
    out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${out ? '.' : ''}${p}` : `[${JSON.stringify(clip(p, 40))}]`;
  }
  return out || 'the top level';
}

/** The same words wherever a non-finite number is found (file, link, autosave, command line). */
export function nonFiniteMessage(value: number, where: string): string {
  const what = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return `the number at ${where} is ${what} (a number too large for a 64-bit float, like 1e999, reads as Infinity); `
    + 'JSON cannot store it, so it would change on the next save. Replace it with a finite number';
}

interface Frame {
  value: object;
  depth: number;
  parent: Frame | null;
  key: string | number;
}

function framePath(frame: Frame | null, last?: string | number): (string | number)[] {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let f = frame; f && f.parent; f = f.parent) path.unshift(f.key);
  return path;
}

/**
 * The first reason a decoded value cannot be a document: nesting deeper than `MAX_DEPTH`, a
 * non-finite number, or more than `MAX_NODES` nodes or `MAX_EDGES` edges. Null when none.
 * Linear in the size of the value.
 */
export function doorProblem(input: unknown): DoorProblem | null {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const o = input as { nodes?: unknown; edges?: unknown };
    if (Array.isArray(o.nodes) && o.nodes.length > MAX_NODES) {
      return { code: 'document-too-large', message: `the graph has ${o.nodes.length.toLocaleString('en-US')} nodes; Layerboard reads at most ${MAX_NODES.toLocaleString('en-US')}` };
    }
    if (Array.isArray(o.edges) && o.edges.length > MAX_EDGES) {
      return { code: 'document-too-large', message: `the graph has ${o.edges.length.toLocaleString('en-US')} edges; Layerboard reads at most ${MAX_EDGES.toLocaleString('en-US')}` };
    }
  }
  // Paths are built only for the value that fails, from the frames' parent links.
  if (typeof input === 'number' && !Number.isFinite(input)) return { code: 'number-not-finite', message: nonFiniteMessage(input, pathText([])) };
  if (typeof input !== 'object' || input === null) return null;
  const stack: Frame[] = [{ value: input, depth: 0, parent: null, key: '' }];
  const seen: object[] = [];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth >= MAX_DEPTH) {
      const path = framePath(frame);
      return {
        code: 'nesting-too-deep',
        message: `the value at ${pathText(path.slice(0, 8))}${path.length > 8 ? '…' : ''} is nested more than ${MAX_DEPTH} levels deep; a graph document never needs that many`,
      };
    }
    const visit = (v: unknown, key: string | number): DoorProblem | null => {
      if (typeof v === 'number') {
        return Number.isFinite(v) ? null : { code: 'number-not-finite', message: nonFiniteMessage(v, pathText(framePath(frame, key))) };
      }
      if (typeof v === 'object' && v !== null) {
        // A node or edge object checked before (the editor replaces only what it edits) is skipped.
        if (frame.depth === 1 && frame.parent?.parent === null && (frame.key === 'nodes' || frame.key === 'edges')) {
          if (CLEAN.has(v)) return null;
          seen.push(v);
        }
        stack.push({ value: v, depth: frame.depth + 1, parent: frame, key });
      }
      return null;
    };
    const value = frame.value;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const p = visit(value[i], i);
        if (p) return p;
      }
    } else {
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue;
        const p = visit((value as Record<string, unknown>)[k], k);
        if (p) return p;
      }
    }
  }
  for (const o of seen) CLEAN.add(o);
  return null;
}

/**
 * Node and edge objects found clean, by identity: documents are replaced, not changed in place
 * (as the validate pass's cache also assumes), so a recompile after one edit walks one node.
 */
const CLEAN = new WeakSet<object>();
