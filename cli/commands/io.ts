/**
 * What the share and model commands have in common: reading a file or standard input, reading
 * a graph document, and the exit-code conventions of `summary` (0 ok, 1 graph errors, 2 input
 * that cannot be read or a wrong command line).
 */
import { readFileSync } from 'node:fs';
import { compileUnknown, type CompileResult, type Diagnostic, type GraphDocument } from '../../graph-compiler';
import type { CommandResult } from '../layerboard';

/** A command that takes the arguments after its name. */
export type Command = (args: string[], stdin: () => string) => CommandResult;

/** Exit 2 with a one-line message (and the command's usage line, for a wrong command line). */
export function failure(message: string, usage?: string): CommandResult {
  return { stdout: '', stderr: `layerboard: ${message}\n${usage ? `usage: ${usage}\n` : ''}`, code: 2 };
}

/** The text of a file, or of standard input for `-`; a message instead when it cannot be read. */
export function readText(path: string, stdin: () => string): { ok: true; text: string; label: string } | { ok: false; message: string } {
  if (path === '-') return { ok: true, text: stdin(), label: 'standard input' };
  try {
    return { ok: true, text: readFileSync(path, 'utf8'), label: path };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${err.code ?? err.message})`;
    return { ok: false, message: `${path}: ${why}` };
  }
}

/** A JSON file, or a message saying why it is not one. */
export function readJson(path: string, stdin: () => string): { ok: true; value: unknown; label: string } | { ok: false; message: string } {
  const read = readText(path, stdin);
  if (!read.ok) return read;
  try {
    // A byte-order mark is not JSON, but editors write one and the app accepts it.
    return { ok: true, value: JSON.parse(read.text.replace(/^\uFEFF/, '')), label: read.label };
  } catch (e) {
    return { ok: false, message: `${read.label} is not JSON: ${(e as Error).message}` };
  }
}

/** A graph document compiled, or a message saying why the file is not one. */
export function readDocument(path: string, stdin: () => string):
  { ok: true; doc: GraphDocument; result: CompileResult; label: string } | { ok: false; message: string } {
  const json = readJson(path, stdin);
  if (!json.ok) return json;
  const out = compileUnknown(json.value);
  if (!out.ok) return { ok: false, message: `${json.label}: ${out.fatal}` };
  return { ok: true, doc: out.doc, result: out.result, label: json.label };
}

/** `error [code] node: message` lines for the errors of a graph. */
export function errorLines(diagnostics: Diagnostic[]): string {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `error [${d.code}]${d.nodeId !== undefined ? ` ${d.nodeId}` : ''}: ${d.message}\n`)
    .join('');
}

/** Splits `--name value` options from positional arguments; unknown options are reported. */
export function parseOptions(args: string[], known: string[]): { positional: string[]; options: Record<string, string>; problem?: string } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.length > 2) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (!known.includes(name)) return { positional, options, problem: `unknown option --${name}` };
      const value = inline ?? args[++i];
      if (value === undefined) return { positional, options, problem: `--${name} needs a value` };
      options[name] = value;
    } else positional.push(a);
  }
  return { positional, options };
}
