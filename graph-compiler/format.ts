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

/**
 * A file name from a document's name, as downloads are named: `LeNet-5` → `lenet-5.json`
 * (accents dropped, anything but letters and digits a dash, at most 60 characters).
 */
export function documentFileName(doc: { name?: string }, extension = '.json'): string {
  const base = (doc.name ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base || 'graph'}${extension}`;
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

/** Bidirectional embedding, override and isolate controls (U+202A–202E, U+2066–2069). */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a document (a name, an id) as it may be shown: each bidirectional control written
 * as a visible `⟨U+202E⟩`, so that a label cannot reorder what is shown around it (visual
 * spoofing). The UI also isolates such text (`<bdi>`), for right-to-left text that is genuine.
 */
export function visibleText(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase()}⟩`);
}
