/**
 * The pure part of an images upload: which picked files are images and which class each one
 * is. A folder of class folders (`pets/cat/1.jpg` is a "cat"), or loose files whose names say
 * the class (`cat_01.png`, `cat-2.png` are "cat"; `dog.png` alone is a class of its own).
 */

const IMAGE_EXT = /\.(png|jpe?g|gif|webp|bmp|avif)$/i;

/** True for file names a browser can decode as an image. */
export function isImagePath(path: string): boolean {
  return IMAGE_EXT.test(path);
}

/** The class of a file: its folder's name, else its name without extension and trailing number. */
export function classOf(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  if (parts.length >= 2) return parts[parts.length - 2];
  const stem = parts[0].replace(/\.[^.]*$/, '');
  const base = stem.replace(/[\s_\-.]*\(?\d+\)?$/, '');
  return base === '' ? stem : base;
}

/** Image files grouped by class, classes in alphabetical order; other files are left out. */
export function groupByClass<E extends { path: string }>(entries: readonly E[]): { classes: Map<string, E[]>; skipped: string[] } {
  const classes = new Map<string, E[]>();
  const skipped: string[] = [];
  for (const e of entries) {
    if (!isImagePath(e.path)) {
      skipped.push(e.path);
      continue;
    }
    const c = classOf(e.path);
    if (!classes.has(c)) classes.set(c, []);
    classes.get(c)!.push(e);
  }
  const sorted = new Map([...classes.entries()].sort(([a], [b]) => a.localeCompare(b)));
  for (const list of sorted.values()) list.sort((a, b) => a.path.localeCompare(b.path));
  return { classes: sorted, skipped };
}
