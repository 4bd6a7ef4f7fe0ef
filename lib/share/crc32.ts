/**
 * CRC-32 (IEEE 802.3, the polynomial PNG, gzip and zip use), table-driven. Used for the share
 * link's integrity check and for PNG chunks.
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * The CRC-32 of `bytes`, as an unsigned 32-bit number. Pass the previous result as `crc` to
 * continue over several pieces.
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')) === 0xcbf43926
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
