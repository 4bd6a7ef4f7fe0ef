/**
 * Autosave to localStorage. Every change is saved (coalesced to at most one write per
 * `SAVE_DELAY_MS`, and flushed when the page is hidden or unloaded). Saved data that cannot
 * be opened (not JSON, not a graph document, a newer version) is never deleted: it is moved
 * aside to its own key, and the editor starts blank with a message that says where it went.
 */
import { compileUnknown, type GraphDocument } from '@/graph-compiler';

export const AUTOSAVE_KEY = 'layerboard.autosave.v1';
/** Prefix of the keys that hold saved data the editor could not open. */
export const ASIDE_PREFIX = 'layerboard.unreadable.';
const SAVE_DELAY_MS = 250;

export type RestoreOutcome =
  | { kind: 'empty' }
  | { kind: 'restored'; doc: GraphDocument }
  | { kind: 'unreadable'; reason: string; asideKey: string | null; raw: string };

function storage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

/** Reads the autosaved document; moves unreadable data aside (see the module comment). */
export function restoreAutosave(store: Storage | null = storage()): RestoreOutcome {
  if (!store) return { kind: 'empty' };
  let raw: string | null;
  try {
    raw = store.getItem(AUTOSAVE_KEY);
  } catch {
    return { kind: 'empty' };
  }
  if (raw === null || raw.trim() === '') return { kind: 'empty' };

  let reason: string | null = null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    reason = `it is not valid JSON (${(err as Error).message})`;
  }
  if (reason === null) {
    const out = compileUnknown(value);
    if (out.ok) return { kind: 'restored', doc: out.doc };
    reason = out.fatal;
  }
  return { kind: 'unreadable', reason, asideKey: moveAside(store, raw), raw };
}

function moveAside(store: Storage, raw: string): string | null {
  const key = `${ASIDE_PREFIX}${new Date().toISOString()}`;
  try {
    store.setItem(key, raw);
    store.removeItem(AUTOSAVE_KEY);
    return key;
  } catch {
    // No room to copy it: leave it where it is and stop autosaving over it.
    return null;
  }
}

/** Writes the document now. Returns false when storage refused (full or disabled). */
export function saveNow(doc: GraphDocument, store: Storage | null = storage()): boolean {
  if (!store) return false;
  try {
    store.setItem(AUTOSAVE_KEY, JSON.stringify(doc));
    return true;
  } catch {
    return false;
  }
}

/**
 * An autosaver: `schedule(doc)` on every change, `flush()` when the page goes away.
 * `onError` is told when writes start failing, `onRecovered` when one succeeds again, so that
 * the message can stay up exactly as long as the work is not saved (`failing()`).
 */
export function createAutosaver(onError: () => void, store: Storage | null = storage(), onRecovered?: () => void) {
  let pending: GraphDocument | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failed = false;
  let enabled = true;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending || !enabled) return;
    const doc = pending;
    pending = null;
    const saved = saveNow(doc, store);
    if (!saved && !failed) {
      failed = true;
      onError();
    } else if (saved && failed) {
      failed = false;
      onRecovered?.();
    }
  };

  return {
    schedule(doc: GraphDocument) {
      pending = doc;
      if (!timer) timer = setTimeout(flush, SAVE_DELAY_MS);
    },
    flush,
    /** True while the last write failed: the latest changes are not saved. */
    failing: () => failed,
    /** Stops writing (used when unreadable data could not be moved aside). */
    disable() {
      enabled = false;
    },
  };
}
