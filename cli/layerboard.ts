/**
 * The command line: `npm run --silent layerboard -- <command> ...`.
 * Exit codes: 0 no errors (warnings allowed), 1 the graph has errors, 2 the input is not a
 * readable version-1 graph document (or the command line is wrong). Never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { compileUnknown } from '../graph-compiler';
import { summaryJson, summaryText } from './summary';
import type { Command } from './commands/io';
import { linkCommand, openCommand } from './commands/link';
import { exportKeras } from './commands/keras';
import { exportPytorch } from './commands/pytorch';
import { exportTfjs, importCommand } from './commands/model-json';
import { exportOnnx } from './commands/onnx';

/**
 * `export <format> ...`: one command per format, each given the arguments after the format
 * name. Add a format by adding its command here.
 */
export const EXPORT_FORMATS: Record<string, Command> = {
  keras: exportKeras,
  pytorch: exportPytorch,
  tfjs: exportTfjs,
};

const USAGE = `Usage: npm run --silent layerboard -- <command> [options]

Commands:
  summary <file|-> [--json]   shapes, parameter counts, MACs and diagnostics of a graph document
                              (- reads standard input)
  link <file|-> [--base URL]  a share link carrying the whole document (default base
                              http://localhost:3000/)
  open <link|#g=…|->          the document a share link carries, as JSON (exit 2: unreadable link)
  export <format> <file|->    the graph in another format on standard output; formats:
                              ${[...Object.keys(EXPORT_FORMATS), 'onnx'].join(', ')}
                              (keras takes --distribute none|mirrored|multiworker;
                              pytorch takes --weights-out W.npz [--seed N], the initial weights)
                              (onnx writes a binary file: export onnx FILE --out OUT.onnx
                              [--seed N], with the seeded initial weights)
  import <model.json|->       a graph document from a tfjs/Keras layers model.json
  import <model.onnx>         ... or from an ONNX model (told apart by the file's content)

Exit codes: 0 no errors (warnings allowed), 1 the graph has errors,
            2 the input is not a readable version-1 graph document (not JSON, NaN or
              Infinity, nested too deep, too many nodes or edges), or bad usage.`;

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
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
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
    if (command === 'link') return linkCommand(args, stdin);
    if (command === 'open') return openCommand(args, stdin);
    if (command === 'import') return importCommand(args, stdin);
    if (command === 'export') {
      const [format, ...rest] = args;
      if (format === 'onnx') throw new UsageError('export onnx builds the model\'s weights asynchronously: use runAsync (as the command line does)');
      const exporter = format !== undefined && Object.hasOwn(EXPORT_FORMATS, format) ? EXPORT_FORMATS[format] : undefined;
      if (!exporter) throw new UsageError(`export needs a format: ${[...Object.keys(EXPORT_FORMATS), 'onnx'].join(' or ')}${format === undefined ? '' : ` (not "${format}")`}`);
      return exporter(rest, stdin);
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) return { stdout: '', stderr: `layerboard: ${e.message}\n\n${USAGE}\n`, code: 2 };
    return { stdout: '', stderr: `layerboard: internal error: ${(e as Error)?.message ?? String(e)}\n`, code: 2 };
  }
}

/** As `run`, and also `export onnx`, which builds the model's initial weights with tfjs (asynchronously); never rejects. */
export async function runAsync(argv: string[], stdin: () => string = () => readFileSync(0, 'utf8')): Promise<CommandResult> {
  if (argv[0] !== 'export' || argv[1] !== 'onnx') return run(argv, stdin);
  try {
    return await exportOnnx(argv.slice(2), stdin);
  } catch (e) {
    return { stdout: '', stderr: `layerboard: internal error: ${(e as Error)?.message ?? String(e)}\n`, code: 2 };
  }
}

if (require.main === module) {
  runAsync(process.argv.slice(2)).then((r) => {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exitCode = r.code;
  });
}
