import { ASIDE_PREFIX, AUTOSAVE_KEY, createAutosaver, restoreAutosave, saveNow } from '@/lib/persistence';
import { templateById } from '@/lib/templates';

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  full = false;
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.full) throw new Error('QuotaExceededError');
    this.map.set(key, value);
  }
  keys() {
    return [...this.map.keys()];
  }
}

describe('autosave', () => {
  it('round-trips a document', () => {
    const store = new MemoryStorage();
    const doc = templateById('lenet5')!.doc;
    expect(saveNow(doc, store)).toBe(true);
    const out = restoreAutosave(store);
    expect(out).toEqual({ kind: 'restored', doc });
  });

  it('starts empty when nothing was saved', () => {
    expect(restoreAutosave(new MemoryStorage())).toEqual({ kind: 'empty' });
  });

  it.each([
    ['not JSON', '{"format": "layerboard.gr', /not valid JSON/],
    ['a future version', JSON.stringify({ format: 'layerboard.graph', version: 7, nodes: [], edges: [] }), /version 7 is newer/],
    ['not a graph', JSON.stringify({ hello: 'world' }), /not a graph document/],
  ])('moves %s aside, keeping it, with a reason', (_what, raw, reason) => {
    const store = new MemoryStorage();
    store.setItem(AUTOSAVE_KEY, raw);
    const out = restoreAutosave(store);
    expect(out.kind).toBe('unreadable');
    if (out.kind !== 'unreadable') return;
    expect(out.reason).toMatch(reason);
    expect(out.asideKey).toMatch(new RegExp(`^${ASIDE_PREFIX.replace(/\./g, '\\.')}`));
    expect(store.getItem(out.asideKey!)).toBe(raw);
    expect(store.getItem(AUTOSAVE_KEY)).toBeNull();
  });

  it('coalesces writes and reports a failing storage once', () => {
    jest.useFakeTimers();
    try {
      const store = new MemoryStorage();
      const onError = jest.fn();
      const saver = createAutosaver(onError, store);
      const doc = templateById('mlp')!.doc;
      saver.schedule(templateById('perceptron')!.doc);
      saver.schedule(doc);
      expect(store.getItem(AUTOSAVE_KEY)).toBeNull();
      jest.runAllTimers();
      expect(JSON.parse(store.getItem(AUTOSAVE_KEY)!)).toEqual(doc);
      store.full = true;
      saver.schedule(doc);
      saver.flush();
      saver.schedule(doc);
      saver.flush();
      expect(onError).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
