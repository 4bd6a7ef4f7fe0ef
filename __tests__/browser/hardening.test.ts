/**
 * Faults in a real Chromium: storage full while autosaving (localStorage filled to its quota
 * first) keeps a message up until a save succeeds and loses nothing; a 5,000-node graph without
 * positions opens (the cheap layered layout, which says so) and stays editable. Times are
 * printed, not asserted.
 */
import type { Page } from 'playwright-core';
import { describeBrowser, saveScreenshot, watchConsoleErrors } from './harness';

const ready = (page: Page) => page.locator('main[data-ready="true"]').waitFor({ timeout: 120_000 });

describeBrowser('hardening faults', (app) => {
  it('storage full while autosaving: a message that stays until a save succeeds, nothing lost', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url('/'));
    await ready(page);
    await page.evaluate(() => window.__layerboard!.openTemplate('lenet5'));

    // Fill localStorage to its quota (big pieces, then smaller ones).
    const filled = await page.evaluate(() => {
      let n = 0;
      for (let size = 1 << 20; size >= 16; size >>= 1) {
        const chunk = 'x'.repeat(size);
        for (;;) {
          try {
            localStorage.setItem(`fill.${n++}`, chunk);
          } catch {
            break;
          }
        }
      }
      return n;
    });
    expect(filled).toBeGreaterThan(0);

    await page.evaluate(() => window.__layerboard!.store.getState().renameDocument('edited while full'));
    const banner = page.getByTestId('autosave-failed');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toMatch(/Autosave failed: .*storage is full or disabled/);
    // Toasts go after a few seconds; this message stays while the work is not saved.
    await page.waitForTimeout(6000);
    expect(await banner.isVisible()).toBe(true);
    await page.evaluate(() => window.__layerboard!.store.getState().renameDocument('edited again while full'));
    await page.waitForTimeout(600);
    expect(await banner.isVisible()).toBe(true);
    await saveScreenshot(page, 'hardening-storage-full');
    expect(await page.evaluate(() => window.__layerboard!.store.getState().doc.name)).toBe('edited again while full');

    // Room again: the next save succeeds, the message goes, and the saved graph is the latest.
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('fill.')) localStorage.removeItem(k);
      window.__layerboard!.store.getState().renameDocument('saved at last');
    });
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('layerboard.autosave.v1') ?? 'null'));
    expect(saved.name).toBe('saved at last');
    expect(saved.nodes.length).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

  it('a 5,000-node graph without positions opens with the cheap layout and stays editable', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url('/'));
    await ready(page);
    const figures = await page.evaluate(async () => {
      const ids = Array.from({ length: 5000 }, (_, i) => `c${i}`);
      const doc = {
        format: 'layerboard.graph' as const, version: 1 as const, name: 'five thousand',
        nodes: [{ id: 'in', type: 'Input', params: { shape: [8] } }, ...ids.map((id) => ({ id, type: 'Dense', params: { units: 4 } }))],
        edges: [{ source: 'in', target: 'c0' }, ...ids.slice(1).map((id, i) => ({ source: ids[i], target: id }))],
      };
      const t0 = performance.now();
      await window.__layerboard!.openDocument(doc);
      const opened = performance.now() - t0;
      const toasts = window.__layerboard!.store.getState().toasts.map((t) => t.text);
      const paint = () => new Promise<number>((resolve) => {
        const t = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t)));
      });
      await paint();
      const t1 = performance.now();
      window.__layerboard!.store.getState().updateParam('c2500', 'units', 7);
      await paint();
      const edit = performance.now() - t1;
      const state = window.__layerboard!.store.getState();
      return { toasts, opened, edit, nodes: state.doc.nodes.length, units: state.doc.nodes.find((n) => n.id === 'c2500')!.params.units };
    });
    console.log(`5,000-node chain without positions: opened in ${figures.opened.toFixed(0)} ms; an edit painted after ${figures.edit.toFixed(0)} ms`);
    expect(figures.nodes).toBe(5001);
    expect(figures.units).toBe(7);
    expect(figures.toasts.join('\n')).toMatch(/This graph has 5,001 layers and 5,000 connections, too many for the full automatic layout, so it is laid out quickly in rows\./);
    // Not yet the 100 ms the issue asks for: the limit is said instead.
    expect(figures.toasts.join('\n')).toMatch(/With 5,001 layers, an edit can take up to a second to show \(up to about 2,000 it takes a fraction of one\)/);
    await saveScreenshot(page, 'hardening-5000-nodes');
    expect(errors).toEqual([]);
  });
});
