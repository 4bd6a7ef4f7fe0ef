/**
 * `link <file|-> [--base URL]` prints a share link for a graph document;
 * `open <link|fragment|->` prints the document a link carries, as JSON.
 */
import { decodeLink, DEFAULT_BASE_URL, encodeLink, shareUrl } from '../../lib/share/link';
import { errorLines, failure, parseOptions, readDocument, readText, type Command } from './io';

const LINK_USAGE = 'layerboard link <file|-> [--base URL]';
const OPEN_USAGE = 'layerboard open <link|#g=…|-> ';

/** Prints the link; exit 1 (link still printed) when the graph has errors. */
export const linkCommand: Command = (args, stdin) => {
  const { positional, options, problem } = parseOptions(args, ['base']);
  if (problem) return failure(`link: ${problem}`, LINK_USAGE);
  if (positional.length !== 1) return failure('link takes one graph document (or - for standard input)', LINK_USAGE);
  const base = options.base ?? DEFAULT_BASE_URL;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(base)) return failure(`link: --base must be an absolute URL such as ${DEFAULT_BASE_URL}; got "${base}"`);
  const read = readDocument(positional[0], stdin);
  if (!read.ok) return failure(read.message);
  const link = encodeLink(read.doc);
  if (!link.ok) return failure(link.message);
  const errors = errorLines(read.result.diagnostics);
  return {
    stdout: `${shareUrl(link, base)}\n`,
    stderr: errors ? `${errors}layerboard: the graph has errors; the link opens it as it is.\n` : '',
    code: read.result.ok ? 0 : 1,
  };
};

/** Prints the document; exit 2 for a link that cannot be read, 1 when its graph has errors. */
export const openCommand: Command = (args, stdin) => {
  const { positional, problem } = parseOptions(args, []);
  if (problem) return failure(`open: ${problem}`, OPEN_USAGE);
  if (positional.length !== 1) return failure('open takes one link (or - to read it from standard input)', OPEN_USAGE);
  let text = positional[0];
  if (text === '-') {
    const read = readText('-', stdin);
    if (!read.ok) return failure(read.message);
    text = read.text;
  }
  const link = decodeLink(text);
  if (!link.ok) return failure(`${link.message} [${link.reason}]`);
  const errors = errorLines(link.result.diagnostics);
  return { stdout: `${JSON.stringify(link.doc, null, 2)}\n`, stderr: errors, code: link.result.ok ? 0 : 1 };
};
