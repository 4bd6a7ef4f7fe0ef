/**
 * `export tfjs <file|->` prints the tfjs `model.json` (topology) of a graph document;
 * `import <model.json|->` prints the graph document of a tfjs/Keras layers model (or of an ONNX
 * model, told apart by its first bytes: see `onnx.ts`).
 */
import { fromModelJson, toModelJson } from '../../graph-compiler/interop';
import { errorLines, failure, parseOptions, readDocument, readJson, type Command } from './io';
import { importOnnx, readOnnxBytes } from './onnx';

const EXPORT_USAGE = 'layerboard export tfjs <file|->';
const IMPORT_USAGE = 'layerboard import <model.json|model.onnx|->';

/** model.json on standard output; exit 1 with the errors when the graph cannot become a model. */
export const exportTfjs: Command = (args, stdin) => {
  const { positional, problem } = parseOptions(args, []);
  if (problem) return failure(`export tfjs: ${problem}`, EXPORT_USAGE);
  if (positional.length !== 1) return failure('export tfjs takes one graph document (or - for standard input)', EXPORT_USAGE);
  const read = readDocument(positional[0], stdin);
  if (!read.ok) return failure(read.message);
  if (!read.result.ok) {
    return { stdout: '', stderr: `${errorLines(read.result.diagnostics)}layerboard: the graph has errors, so it is not a model yet; fix them first.\n`, code: 1 };
  }
  return { stdout: `${JSON.stringify(toModelJson(read.result, read.doc.name), null, 2)}\n`, stderr: '', code: 0 };
};

/** The document on standard output; messages on standard error; exit 1 when layers were left out or the graph has errors. */
export const importCommand: Command = (args, stdin) => {
  const { positional, problem } = parseOptions(args, []);
  if (problem) return failure(`import: ${problem}`, IMPORT_USAGE);
  if (positional.length !== 1) return failure('import takes one model.json or .onnx file (or - for standard input)', IMPORT_USAGE);
  // ONNX or JSON is told by the content, not the file name.
  const onnxBytes = readOnnxBytes(positional[0]);
  if (onnxBytes) return importOnnx(onnxBytes, positional[0]);
  const json = readJson(positional[0], stdin);
  if (!json.ok) return failure(json.message);
  const imported = fromModelJson(json.value);
  if (!imported.ok) return failure(`${json.label}: ${imported.message}`);
  const doc = JSON.stringify(imported.doc, null, 2);
  const check = readDocument('-', () => doc);
  const errors = check.ok ? errorLines(check.result.diagnostics) : '';
  return {
    stdout: `${doc}\n`,
    stderr: imported.messages.map((m) => `layerboard: ${m}\n`).join('') + errors,
    code: imported.leftOut.length === 0 && check.ok && check.result.ok ? 0 : 1,
  };
};
