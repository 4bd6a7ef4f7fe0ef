/**
 * The command line: `npm run --silent layerboard -- <command> ...`.
 * Exit codes: 0 no errors (warnings allowed), 1 the graph has errors, 2 the input is not a
 * readable version-1 graph document (or the command line is wrong). Never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { compileUnknown } from '../graph-compiler';
import { summaryJson, summaryText } from './summary';

const USAGE = `Usage: npm run --silent layerboard -- <command> [options]

Commands:
  summary <file|-> [--json]   shapes, parameter counts, MACs and diagnostics of a graph document
                              (- reads standard input)

Exit codes: 0 no errors (warnings allowed), 1 the graph has errors,
            2 the input is not a version-1 graph document, or bad usage.`;

class UsageError extends Error {}

/** The outcome of one command: what to print and the exit code. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  code: 0 | 1 | 2;
}

function readInput(path: string, stdin: () => string): string {
  if (path === '-') return stdin();
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(err.code === 'ENOENT' ? `${path}: no such file` : err.code === 'EISDIR' ? `${path}: is a directory, not a file` : `${path}: cannot be read (${err.code ?? err.message})`);
  }
}

class InputError extends Error {}

function summary(args: string[], stdin: () => string): CommandResult {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const unknown = rest.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`summary: unknown option ${unknown}`);
  if (rest.length !== 1) throw new UsageError('summary takes one file (or - for standard input)');
  const path = rest[0];
  const fail = (message: string): CommandResult => ({
    stdout: json ? `${JSON.stringify({ ok: false, error: message }, null, 2)}\n` : '',
    stderr: `layerboard: ${message}\n`,
    code: 2,
  });
  let text: string;
  try {
    text = readInput(path, stdin);
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(`${path === '-' ? 'standard input' : path} is not JSON: ${(e as Error).message}`);
  }
  const out = compileUnknown(value);
  if (!out.ok) return fail(`${path === '-' ? 'standard input' : path}: ${out.fatal}`);
  const { doc, result } = out;
  return {
    stdout: `${json ? JSON.stringify(summaryJson(doc, result), null, 2) : summaryText(doc, result)}\n`,
    stderr: '',
    code: result.ok ? 0 : 1,
  };
}

/** Runs one command line; never throws. */
export function run(argv: string[], stdin: () => string = () => readFileSync(0, 'utf8')): CommandResult {
  try {
    const [command, ...args] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      return { stdout: `${USAGE}\n`, stderr: '', code: command === undefined ? 2 : 0 };
    }
    if (command === 'summary') return summary(args, stdin);
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) return { stdout: '', stderr: `layerboard: ${e.message}\n\n${USAGE}\n`, code: 2 };
    return { stdout: '', stderr: `layerboard: internal error: ${(e as Error)?.message ?? String(e)}\n`, code: 2 };
  }
}

if (require.main === module) {
  const r = run(process.argv.slice(2));
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
