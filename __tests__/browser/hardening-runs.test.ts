/**
 * More faults in a real Chromium: edits while a template is still being laid out wait (the
 * canvas says "Laying out…") instead of being replaced when the layout lands; a reload in the
 * middle of a run brings the graph back from the autosave; tf.memory().numTensors, as the
 * training worker reports it at each epoch's end, is flat over five runs; and a browser whose
 * WebGL is turned off for pages (--disable-3d-apis) trains on the CPU and says why.
 */
import type { Page } from 'playwright-core';
import { describeBrowser, openTraining, saveScreenshot, watchConsoleErrors, waitPastFirstEpoch } from './harness';

const ready = (page: Page) => page.locator('main[data-ready="true"]').waitFor({ timeout: 120_000 });

async function train(page: Page): Promise<string> {
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 3 * 60_000 });
  return (await page.getByTestId('train-status').getAttribute('data-state')) ?? '';
}

describeBrowser('hardening: opening, reloads and memory', (app) => {
  it('edits made while a document is laid out are refused with a message, not replaced later', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url('/'));
    await ready(page);
    await page.evaluate(() => window.__layerboard!.openTemplate('mlp'));
    const before = await page.evaluate(() => window.__layerboard!.store.getState().doc.nodes.length);
    // Open 390 layers without positions, each adding the two before it (ELK takes seconds over
    // it), without waiting, and edit at once in the same task: the store is marked before the
    // layout starts.
    const refused = await page.evaluate(() => {
      const hook = window.__layerboard!;
      const ids = ['in', ...Array.from({ length: 390 }, (_, i) => `a${i}`)];
      (window as unknown as { opening: Promise<void> }).opening = hook.openDocument({
        format: 'layerboard.graph', version: 1, name: 'Long chain',
        nodes: [{ id: 'in', type: 'Input', params: { shape: [8] } }, ...ids.slice(1).map((id) => ({ id, type: 'Add', params: {} }))],
        edges: ids.slice(1).flatMap((id, i) => ids.slice(Math.max(0, i - 1), i + 1).map((source) => ({ source, target: id }))),
      });
      const s = hook.store.getState();
      const id = s.addNode('Dense', { x: 0, y: 0 });
      const now = hook.store.getState();
      return { opening: s.opening, id, nodes: now.doc.nodes.length, toasts: now.toasts.map((t) => t.text) };
    });
    expect(refused).toEqual({ opening: 'Long chain', id: '', nodes: before, toasts: ['Opening “Long chain”: it is being laid out, edit it in a moment.'] });
    const overlay = page.getByTestId('canvas-opening');
    await overlay.waitFor({ timeout: 5000 });
    // While it is up, a pointer in the middle of the canvas meets it, not the graph.
    const up = await page.evaluate(() => {
      const canvas = document.querySelector('.lb-canvas')!.getBoundingClientRect();
      const hit = document.elementFromPoint(canvas.left + canvas.width / 2, canvas.top + canvas.height / 2);
      return { overlay: document.querySelector('[data-testid="canvas-opening"]')?.textContent ?? null, hit: !!hit?.closest('[data-testid="canvas-opening"]') };
    });
    expect(up).toEqual({ overlay: 'Laying out Long chain…', hit: true });
    await saveScreenshot(page, 'hardening-laying-out', { fullPage: false });
    await page.evaluate(() => (window as unknown as { opening: Promise<void> }).opening);
    await overlay.waitFor({ state: 'detached', timeout: 10_000 });
    const after = await page.evaluate(() => {
      const s = window.__layerboard!.store.getState();
      const id = s.addNode('Dense', { x: 0, y: 0 });
      const d = window.__layerboard!.store.getState().doc;
      return { id, name: d.name, nodes: d.nodes.length, has: d.nodes.some((n) => n.id === id) };
    });
    expect(after).toMatchObject({ name: 'Long chain', nodes: 392 });
    console.log(`opened 390 layers and ${(await page.evaluate(() => window.__layerboard!.store.getState().doc.edges.length)).toLocaleString('en-US')} connections`);
    expect(after.id).not.toBe('');
    expect(after.has).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a densely connected graph that ELK would take about a minute over opens with the cheap layout after ELK’s time limit, and stays editable', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url('/'));
    await ready(page);
    // 391 layers, each adding the 4 before it: 1,554 connections, under the cheap layout's
    // thresholds (400 nodes, 2,000 edges), over a minute of ELK.
    const opened = await page.evaluate(async () => {
      const hook = window.__layerboard!;
      const ids = ['in', ...Array.from({ length: 390 }, (_, i) => `a${i}`)];
      const t0 = performance.now();
      await hook.openDocument({
        format: 'layerboard.graph', version: 1, name: 'Dense joins',
        nodes: [{ id: 'in', type: 'Input', params: { shape: [8] } }, ...ids.slice(1).map((id) => ({ id, type: 'Add', params: {} }))],
        edges: ids.slice(1).flatMap((id, i) => ids.slice(Math.max(0, i - 3), i + 1).map((source) => ({ source, target: id }))),
      });
      const ms = performance.now() - t0;
      const s = hook.store.getState();
      const id = s.addNode('Dense', { x: 0, y: 0 });
      const d = hook.store.getState().doc;
      return { ms, edges: d.edges.length, nodes: d.nodes.length, added: id !== '', placed: d.nodes.every((n) => n.position), opening: s.opening, toasts: s.toasts.map((t) => t.text) };
    });
    console.log(`391 layers, ${opened.edges.toLocaleString('en-US')} connections: opened in ${(opened.ms / 1000).toFixed(1)} s`);
    expect(opened).toMatchObject({ edges: 1554, nodes: 392, added: true, placed: true, opening: null });
    expect(opened.toasts).toContain('The automatic layout took longer than 10 s on this graph (391 layers, 1,554 connections), so it is laid out quickly in rows instead.');
    // The stopped worker is replaced: the next layout is ELK's again.
    await page.evaluate(() => window.__layerboard!.openTemplate('mlp'));
    const moved = await page.evaluate(() => {
      const s = window.__layerboard!.store.getState();
      const id = s.doc.nodes[0].id;
      s.beginMove();
      s.moveNodes(new Map([[id, { x: 5000, y: 5000 }]]));
      s.endMove();
      return { id, lastToast: Math.max(0, ...window.__layerboard!.store.getState().toasts.map((t) => t.id)) };
    });
    await page.getByTestId('tidy').click();
    await page.waitForFunction((id) => window.__layerboard!.store.getState().doc.nodes.find((n) => n.id === id)!.position!.x < 5000, moved.id, { timeout: 30_000 });
    expect(await page.evaluate((last) => window.__layerboard!.store.getState().toasts.filter((t) => t.id > last).map((t) => t.text), moved.lastToast)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a reload in the middle of a run brings the graph back', async () => {
    const page = await app.newPage();
    await openTraining(page, app.url('/'), { template: 'spiral-mlp' });
    await page.evaluate(() => window.__layerboard!.store.getState().renameDocument('reloaded mid-run'));
    const nodes = await page.evaluate(() => window.__layerboard!.store.getState().doc.nodes.map((n) => n.id));
    await page.getByTestId('train-epochs').fill('200');
    await page.getByTestId('train-start').click();
    await waitPastFirstEpoch(page, 200);
    await page.reload();
    await ready(page);
    await page.waitForFunction('!!window.__layerboard');
    const back = await page.evaluate(() => {
      const d = window.__layerboard!.store.getState().doc;
      return { name: d.name, nodes: d.nodes.map((n) => n.id) };
    });
    expect(back).toEqual({ name: 'reloaded mid-run', nodes });
  }, 4 * 60_000);

  it('tf.memory().numTensors is flat over five runs', async () => {
    const page = await app.newPage();
    await openTraining(page, app.url('/'), { template: 'spiral-mlp' });
    await page.getByTestId('train-epochs').fill('2');
    const counts: number[] = [];
    let backend: string | null = null;
    for (let run = 0; run < 5; run++) {
      expect(await train(page)).toBe('completed');
      const log = await page.evaluate(() => window.__layerboard!.trainingLog());
      backend = log.backend;
      expect(log.epochs.length).toBe(2);
      // Within a run: flat from epoch to epoch.
      expect(log.epochs[1].numTensors).toBe(log.epochs[0].numTensors);
      counts.push(log.epochs[1].numTensors);
    }
    console.log(`numTensors at the end of each of five runs (${backend}): ${counts.join(', ')}`);
    expect(new Set(counts).size).toBe(1);
  }, 8 * 60_000);
});

describeBrowser(
  'training when WebGL is turned off for pages',
  (app) => {
    it('trains on the CPU in the worker and says why (--disable-3d-apis)', async () => {
      const page = await app.newPage();
      await openTraining(page, app.url('/'), { template: 'spiral-mlp' });
      expect(await page.evaluate(() => !!document.createElement('canvas').getContext('webgl'))).toBe(false);
      await page.getByTestId('train-epochs').fill('2');
      expect(await train(page)).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('cpu');
      expect(await page.getByTestId('backend-notice').textContent()).toMatch(/WebGL is turned off for pages in this browser .* training runs on the CPU/);
      await saveScreenshot(page, 'training-webgl-off-for-pages', { fullPage: false });
    }, 4 * 60_000);
  },
  { args: ['--disable-3d-apis'] },
);
