/**
 * PNG text chunks (`tEXt`), read and written over the file's bytes, as ComfyUI carries its
 * workflows: an exported canvas image holds the document, and dropping the image back on the
 * canvas opens it. Pure: works on Uint8Array in the browser and in Node.
 *
 * A PNG is an 8-byte signature and then chunks: length (4 bytes, big-endian), type (4 ASCII
 * letters), data, and the CRC-32 of type and data. `tEXt` data is a Latin-1 keyword (1–79
 * bytes), a zero byte and Latin-1 text; `embedDocument` escapes everything outside ASCII in
 * the JSON (`\uXXXX`), which keeps it valid JSON and valid Latin-1.
 */
import { crc32 } from './crc32';

/** The keyword under which an exported image carries its graph document. */
export const PNG_DOCUMENT_KEYWORD = 'layerboard.graph';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** One chunk: its type and where its data lies in the file. */
export interface PngChunk {
  type: string;
  /** Offset of the chunk's length field. */
  offset: number;
  data: Uint8Array;
  crcOk: boolean;
}

/** True when the bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The chunks of a PNG, in order; null when the bytes are not a PNG or the chunk list is broken. */
export function readPngChunks(bytes: Uint8Array): PngChunk[] | null {
  if (!isPng(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    if (at + 12 + length > bytes.length) return null;
    const typeBytes = bytes.subarray(at + 4, at + 8);
    const type = String.fromCharCode(...typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) return null;
    const data = bytes.subarray(at + 8, at + 8 + length);
    const crcOk = crc32(bytes.subarray(at + 4, at + 8 + length)) === view.getUint32(at + 8 + length);
    chunks.push({ type, offset: at, data, crcOk });
    at += 12 + length;
    if (type === 'IEND') return chunks;
  }
  return null;
}

const latin1 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
};

/** Every `tEXt` entry whose CRC is right, as keyword → text (the first of a repeated keyword wins). */
export function readPngText(bytes: Uint8Array): Map<string, string> | null {
  const chunks = readPngChunks(bytes);
  if (!chunks) return null;
  const out = new Map<string, string>();
  for (const c of chunks) {
    if (c.type !== 'tEXt' || !c.crcOk) continue;
    const zero = c.data.indexOf(0);
    if (zero < 1) continue;
    const keyword = latin1(c.data.subarray(0, zero));
    if (!out.has(keyword)) out.set(keyword, latin1(c.data.subarray(zero + 1)));
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function toLatin1(text: string, what: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) throw new Error(`${what} must be Latin-1; it has "${text[i]}" at ${i}`);
    out[i] = c;
  }
  return out;
}

/**
 * A copy of the PNG with a `tEXt` chunk `keyword` → `text` just before IEND; an earlier chunk
 * with the same keyword is removed. Throws when the bytes are not a PNG, or the keyword or text
 * is not Latin-1 (the keyword also 1–79 characters, no zero byte).
 */
export function writePngText(bytes: Uint8Array, keyword: string, text: string): Uint8Array {
  const chunks = readPngChunks(bytes);
  if (!chunks) throw new Error('not a PNG file');
  if (keyword.length < 1 || keyword.length > 79 || keyword.includes('\0')) throw new Error('a PNG text keyword has 1 to 79 characters');
  if (text.includes('\0')) throw new Error('PNG text cannot hold a zero byte');
  const k = toLatin1(keyword, 'the keyword');
  const t = toLatin1(text, 'the text');
  const data = new Uint8Array(k.length + 1 + t.length);
  data.set(k, 0);
  data.set(t, k.length + 1);
  const added = chunk('tEXt', data);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const c of chunks) {
    const whole = bytes.subarray(c.offset, c.offset + 12 + c.data.length);
    if (c.type === 'tEXt' && latin1(c.data.subarray(0, c.data.indexOf(0))) === keyword) continue;
    if (c.type === 'IEND') parts.push(added);
    parts.push(whole);
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** JSON with every character outside ASCII written as `\uXXXX`: still the same JSON value. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The PNG with the document in a `tEXt` chunk under `layerboard.graph`. */
export function embedDocumentInPng(png: Uint8Array, doc: unknown): Uint8Array {
  return writePngText(png, PNG_DOCUMENT_KEYWORD, asciiJson(doc));
}

/** The document text a PNG carries, or null when it carries none (or is not a PNG). */
export function documentTextFromPng(png: Uint8Array): string | null {
  return readPngText(png)?.get(PNG_DOCUMENT_KEYWORD) ?? null;
}
