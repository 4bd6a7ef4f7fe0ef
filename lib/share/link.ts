/**
 * Share links: the whole document in the URL fragment (`#g=…`), which browsers never send to a
 * server.
 *
 * The fragment value is one format character (`1`) and then base64url of
 *
 *     varint n │ n bytes: raw deflate (preset dictionary) of the compact JSON │ CRC-32 of what precedes (4 bytes, big-endian)
 *
 * The compact JSON is described in `compact.ts`. The declared length tells a link that was cut
 * short from one that was changed; the CRC-32 catches changed characters before anything is
 * unpacked (over the packed bytes, since a change in the unused bits of deflate's last byte
 * would leave the unpacked text the same).
 * Unpacking stops at `MAX_UNPACKED_BYTES` (a link is an untrusted input: a small link could
 * otherwise unpack to gigabytes), and a graph of more than `MAX_LINK_NODES` nodes is refused.
 *
 * Pure: runs the same in the browser, in Node (the command line) and in jest.
 */
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import { compileUnknown, type CompileResult, type GraphDocument } from '@/graph-compiler';
import { base64UrlLength, firstNonBase64Url, fromBase64Url, toBase64Url } from './base64url';
import { compactNodeCount, fromCompact, toCompact } from './compact';
import { crc32 } from './crc32';
import { LINK_DICTIONARY_V1 } from './link-tables';

/** The link format this code writes (and the only one it reads). */
export const LINK_FORMAT = '1';
/** The fragment key: `#g=…`. */
export const LINK_KEY = 'g';
/** Unpacked size limit of a link's contents. */
export const MAX_UNPACKED_BYTES = 1 << 20;
/** Largest graph a link may carry. */
export const MAX_LINK_NODES = 2000;
/** Longest link text looked at (Chromium's URL limit is 2 MB). */
export const MAX_LINK_CHARS = 2_000_000;
/** The base used when none is given (the command line's default). */
export const DEFAULT_BASE_URL = 'http://localhost:3000/';

const DICTIONARY = strToU8(LINK_DICTIONARY_V1);
const INFLATE_CHUNK = 512;

/** Why a link could not be opened. Each has its own message. */
export type LinkFailure =
  | 'empty'
  | 'not-base64'
  | 'version'
  | 'truncated'
  | 'corrupt'
  | 'oversized'
  | 'too-many-nodes'
  | 'not-graph';

/** The outcome of reading a link. */
export type DecodedLink =
  | { ok: true; doc: GraphDocument; result: CompileResult }
  | { ok: false; reason: LinkFailure; message: string };

/** The outcome of making a link. */
export type EncodedLink =
  | { ok: true; fragment: string; payload: string }
  | { ok: false; reason: 'too-many-nodes' | 'oversized'; message: string };

const fail = (reason: LinkFailure, message: string): DecodedLink => ({ ok: false, reason, message });

function writeVarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function readVarint(bytes: Uint8Array): { value: number; size: number } | null {
  let value = 0;
  for (let i = 0; i < Math.min(bytes.length, 5); i++) {
    value += (bytes[i] & 0x7f) * 2 ** (7 * i);
    if ((bytes[i] & 0x80) === 0) return { value, size: i + 1 };
  }
  return null;
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Makes the fragment payload of a document (what follows `#g=`).
 *
 * @example
 * const link = encodeLink(doc);
 * if (link.ok) navigator.clipboard.writeText(shareUrl(link, location.href));
 */
export function encodeLink(doc: GraphDocument): EncodedLink {
  const count = Array.isArray(doc.nodes) ? doc.nodes.length : 0;
  if (count > MAX_LINK_NODES) {
    return {
      ok: false, reason: 'too-many-nodes',
      message: `This graph has ${thousands(count)} layers; a link can carry at most ${thousands(MAX_LINK_NODES)}. Download it as a file instead.`,
    };
  }
  const json = strToU8(JSON.stringify(toCompact(doc)));
  if (json.length > MAX_UNPACKED_BYTES) {
    return {
      ok: false, reason: 'oversized',
      message: `This graph takes ${thousands(json.length)} bytes even in compact form; a link can carry at most ${thousands(MAX_UNPACKED_BYTES)}. Download it as a file instead.`,
    };
  }
  const payload = packPayload(json);
  return { ok: true, payload, fragment: `#${LINK_KEY}=${payload}` };
}

/**
 * Frames already-serialised compact JSON as a link payload (format mark, length, deflate,
 * CRC-32). `encodeLink` is the way to make links; this is exposed for tests that need a
 * payload no document would give (a zip bomb, too many nodes).
 */
export function packPayload(json: Uint8Array): string {
  const packed = deflateSync(json, { level: 9, dictionary: DICTIONARY });
  const head = writeVarint(packed.length);
  const bytes = new Uint8Array(head.length + packed.length + 4);
  bytes.set(head, 0);
  bytes.set(packed, head.length);
  new DataView(bytes.buffer).setUint32(head.length + packed.length, crc32(bytes.subarray(0, head.length + packed.length)));
  return LINK_FORMAT + toBase64Url(bytes);
}

/** A full URL: `base` without its fragment, then `#g=…`. */
export function shareUrl(link: { fragment: string }, base: string = DEFAULT_BASE_URL): string {
  const hash = base.indexOf('#');
  return (hash >= 0 ? base.slice(0, hash) : base) + link.fragment;
}

/** The `g` value of a URL, fragment (`#g=…`, `g=…`) or bare payload; null when there is none. */
export function linkPayload(fragmentOrUrl: string): string | null {
  const text = fragmentOrUrl.trim();
  const hash = text.indexOf('#');
  let fragment = hash >= 0 ? text.slice(hash + 1) : text;
  if (hash < 0 && /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return null;
  if (!fragment.includes('=')) return fragment === '' ? null : fragment.replace(/\s+/g, '');
  for (const part of fragment.split('&')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq) === LINK_KEY) {
      fragment = part.slice(eq + 1);
      try {
        fragment = decodeURIComponent(fragment);
      } catch {
        // keep it as it is: the base64url check names the stray character
      }
      return fragment.replace(/\s+/g, '');
    }
  }
  return null;
}

/** Inflates with a running size check, so that a zip bomb stops at the limit. */
function inflateCapped(data: Uint8Array): Uint8Array | 'oversized' | 'corrupt' {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate({ dictionary: DICTIONARY }, (chunk) => {
    total += chunk.length;
    if (total > MAX_UNPACKED_BYTES) over = true;
    else parts.push(chunk);
  });
  try {
    for (let i = 0; i < data.length && !over; i += INFLATE_CHUNK) {
      inflater.push(data.subarray(i, i + INFLATE_CHUNK), i + INFLATE_CHUNK >= data.length);
    }
  } catch {
    return over ? 'oversized' : 'corrupt';
  }
  if (over) return 'oversized';
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Reads a share link: a full URL, a fragment (`#g=…`) or the payload alone. Checks everything
 * (format, integrity, size, node count, then the document with the compiler's parser) and
 * compiles the document, so that the caller only has to decide whether to replace the graph.
 * Never throws.
 *
 * @example
 * const link = decodeLink(location.hash);
 * if (!link.ok) showMessage(link.message); // the current graph stays as it is
 */
export function decodeLink(fragmentOrUrl: string): DecodedLink {
  try {
    return decode(fragmentOrUrl);
  } catch {
    // Every known failure has its own message above; anything else is still the link's fault.
    return fail('corrupt', damaged());
  }
}

function decode(fragmentOrUrl: string): DecodedLink {
  if (fragmentOrUrl.length > MAX_LINK_CHARS) {
    return fail('oversized', `This link is ${thousands(fragmentOrUrl.length)} characters long; Layerboard opens links of at most ${thousands(MAX_LINK_CHARS)}.`);
  }
  const payload = linkPayload(fragmentOrUrl);
  if (payload === null || payload === '') {
    return fail('empty', `This link has no graph in it: a Layerboard link ends in #${LINK_KEY}= followed by the design.`);
  }
  const format = payload[0];
  if (format !== LINK_FORMAT) {
    return /[0-9]/.test(format) && Number(format) > Number(LINK_FORMAT)
      ? fail('version', `This link was made by a newer Layerboard (link format ${format}); this one reads format ${LINK_FORMAT}. Open it in an up-to-date Layerboard.`)
      : fail('version', `This link has the format mark "${format}", which no Layerboard writes (this one reads format ${LINK_FORMAT}). Check that the whole link was copied, starting at #${LINK_KEY}=.`);
  }
  const body = payload.slice(1).replace(/=+$/, '');
  const stray = firstNonBase64Url(body);
  if (stray) {
    return fail('not-base64', `This link is damaged: it contains "${stray.char}" (character ${stray.index + 1} after #${LINK_KEY}=${LINK_FORMAT}), which a Layerboard link never has. Copy the whole link again.`);
  }
  const bytes = fromBase64Url(body.length % 4 === 1 ? body.slice(0, -1) : body);
  const head = bytes && readVarint(bytes);
  if (!bytes || !head) return fail('truncated', cutShort(payload.length, null));
  const expected = head.size + head.value + 4;
  if (bytes.length < expected) return fail('truncated', cutShort(payload.length, 1 + base64UrlLength(expected)));
  // A changed last character may alter only the unused low bits: the bytes then re-encode differently.
  if (bytes.length > expected || body.length % 4 === 1 || toBase64Url(bytes) !== body) return fail('corrupt', damaged());

  const packed = bytes.subarray(head.size, head.size + head.value);
  const crc = new DataView(bytes.buffer, bytes.byteOffset + head.size + head.value, 4).getUint32(0);
  if (crc32(bytes.subarray(0, head.size + head.value)) !== crc) return fail('corrupt', damaged());
  const json = inflateCapped(packed);
  if (json === 'oversized') {
    return fail('oversized', `This link unpacks to more than ${thousands(MAX_UNPACKED_BYTES)} bytes; Layerboard does not open links that large.`);
  }
  if (json === 'corrupt') return fail('corrupt', damaged());

  let value: unknown;
  try {
    value = JSON.parse(strFromU8(json));
  } catch {
    return fail('corrupt', damaged());
  }
  const nodes = compactNodeCount(value);
  if (nodes > MAX_LINK_NODES) {
    return fail('too-many-nodes', `This link's graph has ${thousands(nodes)} layers; Layerboard opens links of at most ${thousands(MAX_LINK_NODES)} layers.`);
  }
  const expanded = fromCompact(value);
  if (!expanded.ok) return fail('not-graph', `This link does not hold a Layerboard graph: ${expanded.message}.`);
  const compiled = compileUnknown(expanded.value);
  if (!compiled.ok) return fail('not-graph', `This link does not hold a Layerboard graph: ${compiled.fatal}.`);
  return { ok: true, doc: compiled.doc, result: compiled.result };
}

/** `have` and `want` count the characters after `#g=`. */
function cutShort(have: number, want: number | null): string {
  return `This link is cut short${want ? `: it has ${thousands(have)} of its ${thousands(want)} characters` : ''}. Copy the whole link again (some apps cut long links, or break them over two lines).`;
}

function damaged(): string {
  return 'This link is damaged: some of its characters were changed, so the design in it cannot be read. Copy the link again from where it was shared.';
}
