/**
 * base64url without padding (RFC 4648 §5): the alphabet `A–Z a–z 0–9 - _`, safe in a URL
 * fragment without escaping. Written out here because `btoa` works on strings, not bytes,
 * and Node's Buffer is not in the browser.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** Encodes bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/** The first character that is not in the base64url alphabet, with its position; null when all are. */
export function firstNonBase64Url(text: string): { index: number; char: string } | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || INDEX[c] < 0) return { index: i, char: String.fromCodePoint(text.codePointAt(i)!) };
  }
  return null;
}

/**
 * Decodes unpadded base64url. Returns null when a character is outside the alphabet or the
 * length is impossible (one character past a whole group: no byte ends there).
 */
export function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1 || firstNonBase64Url(text)) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const n = (INDEX[text.charCodeAt(i)] << 18) | (INDEX[text.charCodeAt(i + 1)] << 12)
      | (INDEX[text.charCodeAt(i + 2)] << 6) | INDEX[text.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = text.length - i;
  if (rest >= 2) {
    const n = (INDEX[text.charCodeAt(i)] << 18) | (INDEX[text.charCodeAt(i + 1)] << 12)
      | (rest === 3 ? INDEX[text.charCodeAt(i + 2)] << 6 : 0);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 0xff;
  }
  return out;
}

/** How many base64url characters `byteLength` bytes take. */
export function base64UrlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}
