/**
 * Graph documents as files: the `.json` download, and reading whatever a person opens with the
 * file picker or drops on the canvas — a graph document, a PNG or SVG exported by Layerboard
 * (which carries its document), a tfjs/Keras `model.json`, or an ONNX model (told by content). Pure: bytes in, a checked
 * document (or a message) out; the browser glue is in `download.ts` and `components/share/`.
 */
import { strFromU8 } from 'fflate';
import { compileUnknown, type CompileResult, type GraphDocument } from '@/graph-compiler';
import { fromModelJson } from '@/graph-compiler/interop';
import { fromOnnx, looksLikeOnnx } from '@/graph-compiler/interop/onnx-import';
import { asciiJson, documentTextFromPng, isPng } from './png-text';

/** Files larger than this are not read (a graph document of 2,000 layers is about 1 MB). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** ONNX models carry their weights: VGG16 is 528 MB. */
export const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

/** What opening a file gave: a document checked by the compiler, or why there is none. */
export type OpenedFile =
  | { ok: true; doc: GraphDocument; result: CompileResult; kind: 'graph' | 'png' | 'svg' | 'model.json' | 'onnx'; messages: string[] }
  | { ok: false; message: string };

/** The document as the `.json` file Layerboard saves: two-space JSON and a final newline. */
export function documentJson(doc: GraphDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A file name from the document's name: `LeNet-5` → `lenet-5.json` (the compiler's rule, which the exported scripts name themselves by). */
export { documentFileName } from '@/graph-compiler/format';

const SVG_METADATA_ID = 'layerboard-graph';

/** The SVG with the document in a `<metadata>` element, so that the image opens as the graph. */
export function embedDocumentInSvg(svg: string, doc: GraphDocument): string {
  const open = svg.match(/<svg\b[^>]*>/);
  if (!open || open.index === undefined) throw new Error('not an SVG image');
  const at = open.index + open[0].length;
  const cdata = asciiJson(doc).replace(/]]>/g, ']]]]><![CDATA[>');
  return `${svg.slice(0, at)}<metadata id="${SVG_METADATA_ID}"><![CDATA[${cdata}]]></metadata>${svg.slice(at)}`;
}

/** The document text an SVG exported by Layerboard carries, or null. */
export function documentTextFromSvg(svg: string): string | null {
  const m = svg.match(new RegExp(`<metadata id="${SVG_METADATA_ID}"><!\\[CDATA\\[([\\s\\S]*?)\\]\\]></metadata>`));
  return m ? m[1].replace(/]]]]><!\[CDATA\[>/g, ']]>') : null;
}

function checked(value: unknown, kind: 'graph' | 'png' | 'svg' | 'model.json' | 'onnx', name: string, messages: string[] = []): OpenedFile {
  const out = compileUnknown(value);
  if (!out.ok) return { ok: false, message: `${name} is not a Layerboard graph: ${out.fatal}.` };
  return { ok: true, doc: out.doc, result: out.result, kind, messages };
}

function parseJson(text: string, name: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `${name} is not JSON (${(e as Error).message}).` };
  }
}

/**
 * Reads an opened or dropped file. Everything is checked (format, then the compiler) before
 * the caller replaces anything; a graph with errors still opens (its problems are shown).
 *
 * @example
 * const opened = openFileBytes(file.name, new Uint8Array(await file.arrayBuffer()));
 * if (opened.ok) replaceDocument(opened.doc); else toast(opened.message, 'error');
 */
export function openFileBytes(name: string, bytes: Uint8Array): OpenedFile {
  try {
    return readFileBytes(name, bytes);
  } catch {
    // Each known problem has its own message; whatever else a crafted file causes is still ours to say.
    return { ok: false, message: `${name} could not be read: it is damaged, or not a file Layerboard writes or reads.` };
  }
}

function readFileBytes(name: string, bytes: Uint8Array): OpenedFile {
  if (looksLikeOnnx(bytes)) {
    if (bytes.length > MAX_ONNX_BYTES) return { ok: false, message: `${name} is ${(bytes.length / 1048576).toFixed(0)} MB; Layerboard opens ONNX models of at most ${MAX_ONNX_BYTES / 1048576} MB.` };
    const imported = fromOnnx(bytes);
    if (!imported.ok) return { ok: false, message: `${name}: ${imported.message}.` };
    return checked(imported.doc, 'onnx', name, imported.messages);
  }
  if (bytes.length > MAX_FILE_BYTES) {
    return { ok: false, message: `${name} is ${(bytes.length / 1048576).toFixed(0)} MB; Layerboard opens files of at most ${MAX_FILE_BYTES / 1048576} MB.` };
  }
  if (isPng(bytes)) {
    const text = documentTextFromPng(bytes);
    if (text === null) return { ok: false, message: `${name} is a PNG image without a Layerboard graph in it (only images exported from Layerboard carry one).` };
    const json = parseJson(text, `The graph in ${name}`);
    return json.ok ? checked(json.value, 'png', name) : json;
  }
  let text: string;
  try {
    text = strFromU8(bytes);
  } catch {
    return { ok: false, message: `${name} is neither a graph (.json) nor an image exported from Layerboard.` };
  }
  if (/^\s*(<\?xml[^>]*>\s*)?<svg\b/.test(text)) {
    const inner = documentTextFromSvg(text);
    if (inner === null) return { ok: false, message: `${name} is an SVG image without a Layerboard graph in it (only images exported from Layerboard carry one).` };
    const json = parseJson(inner, `The graph in ${name}`);
    return json.ok ? checked(json.value, 'svg', name) : json;
  }
  const json = parseJson(text.replace(/^\uFEFF/, ''), name);
  if (!json.ok) return json;
  const value = json.value as Record<string, unknown> | null;
  if (value && typeof value === 'object' && !Array.isArray(value) && value.format !== 'layerboard.graph'
    && ('modelTopology' in value || 'class_name' in value)) {
    const imported = fromModelJson(value);
    if (!imported.ok) return { ok: false, message: `${name}: ${imported.message}.` };
    return checked(imported.doc, 'model.json', name, imported.messages);
  }
  return checked(value, 'graph', name);
}
