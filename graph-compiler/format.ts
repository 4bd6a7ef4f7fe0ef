/** Number and shape formatting shared by messages, the command line and the UI. */

/** Formats a shape for messages: `[28, 28, 1]`. */
export function fmtShape(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/** Product of a shape's entries (its element count). */
export function size(s: readonly number[]): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}

/** `1234567` → `1,234,567`. */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** `246824` → `241.04 KB` (binary units, as Keras prints weight sizes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${units[i]}`;
}

/** `416520` → `416.52 K`, `15470264320` → `15.47 G`: large counts for people. */
export function formatCount(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? String(n) : `${v.toFixed(2)} ${units[i]}`;
}
