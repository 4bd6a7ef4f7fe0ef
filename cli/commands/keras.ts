/** `export keras <file|-> [--distribute none|mirrored|multiworker]`: the Keras Python script. */
import { toKeras, type Distribution } from '../../graph-compiler';
import { errorLines, failure, parseOptions, readDocument, type Command } from './io';

const USAGE = 'layerboard export keras <file|-> [--distribute none|mirrored|multiworker]';
const DISTRIBUTIONS: Distribution[] = ['none', 'mirrored', 'multiworker'];

export const exportKeras: Command = (args, stdin) => {
  const { positional, options, problem } = parseOptions(args, ['distribute']);
  if (problem) return failure(`export keras: ${problem}`, USAGE);
  if (positional.length !== 1) return failure('export keras takes one graph document (or - for standard input)', USAGE);
  const distribute = (options.distribute ?? 'none') as Distribution;
  if (!DISTRIBUTIONS.includes(distribute)) {
    return failure(`export keras: --distribute must be one of ${DISTRIBUTIONS.join(', ')} (not "${options.distribute}")`, USAGE);
  }
  const read = readDocument(positional[0], stdin);
  if (!read.ok) return failure(read.message);
  if (!read.result.ok) {
    return { stdout: '', stderr: `${errorLines(read.result.diagnostics)}layerboard: the graph has errors, so it is not a model yet; fix them first.\n`, code: 1 };
  }
  return { stdout: toKeras(read.doc, read.result, { distribute }), stderr: '', code: 0 };
};
