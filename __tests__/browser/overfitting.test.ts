/**
 * The overfitting lab in real Chromium (WebGL): open the template, train it (60 epochs, set
 * through the document, to keep the test short), set L2 on both hidden layers through the
 * editor's store and train again; the run comparison shows both runs, labelled "baseline" and
 * by the change, each with its gaps taken from the training set measured as the validation set
 * is, the L2 run's smaller, and larger than the loss while training would give. Retakes the
 * README's picture.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describeBrowser, openTraining, ROOT, watchConsoleErrors } from './harness';

const MINUTE = 60_000;

/** Trains once and waits for the run to join the comparison and its test evaluation. */
async function train(page: Page, runs: number): Promise<void> {
  await page.getByTestId('train-start').click();
  await page.locator(`[data-testid="run-compare"][data-runs="${runs}"]`).waitFor({ timeout: 3 * MINUTE });
  await page.getByTestId('test-accuracy').filter({ hasText: '%' }).waitFor({ timeout: MINUTE });
}

describeBrowser('the overfitting lab', (app) => {
  it('compares a baseline run with an L2 run: labels, gaps, and the overlaid curves', async () => {
    const page = await app.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    const errors = watchConsoleErrors(page);
    await openTraining(page, app.url('/'), { template: 'overfitting-lab', backend: 'webgl' });
    await page.evaluate(() => {
      const store = window.__layerboard!.store.getState();
      store.setTraining({ ...store.doc.training, epochs: 60 });
    });
    expect(await page.getByTestId('run-compare').count()).toBe(0);

    const t0 = Date.now();
    await train(page, 1);
    expect(await page.getByTestId('backend').textContent()).toBe('webgl');
    await page.evaluate(() => {
      const store = window.__layerboard!.store.getState();
      store.updateParam('dense_1', 'l2', 0.01);
      store.updateParam('dense_2', 'l2', 0.01);
    });
    await train(page, 2);
    const seconds = (Date.now() - t0) / 1000;

    const card = page.getByTestId('run-compare');
    expect(await card.getByTestId('run-label').allTextContents()).toEqual(['baseline', 'L2 0.01 in dense_1 and dense_2']);
    const gaps = await card.getByTestId('run-gap').allTextContents();
    process.stdout.write(`overfitting lab: two 60-epoch runs in ${seconds.toFixed(1)} s; ${gaps.join(' / ')}\n`);
    const [base, l2] = gaps.map((g) => Number(/^loss gap (-?\d+\.\d\d) · accuracy gap -?\d+\.\d pts$/.exec(g)![1]));
    expect(base).toBeGreaterThan(0.3);
    expect(l2).toBeLessThan(base / 2);
    // Both runs measured their 60 training examples again: the caption says so, and under each
    // training loss is the loss while training, which for L2 carries the penalty (in Node, 60
    // epochs: gap 0.15 from the clean loss, 0.07 from the loss while training).
    const rows = card.getByTestId('run-compare-table').locator('tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-clean')))).toEqual(['true', 'true']);
    expect(await card.locator('caption').textContent()).toContain('The training set is measured as the validation set is');
    const l2Cells = await rows.nth(1).locator('td').allTextContents();
    const [, clean, running] = /^(\d+\.\d+)while training (\d+\.\d+)$/.exec(l2Cells[3])!.map(Number);
    const val = Number(l2Cells[4]);
    expect(val - clean).toBeCloseTo(Number(l2Cells[5]), 2);
    expect(val - clean - (val - running)).toBeGreaterThan(0.03);
    // The table carries the same figures; the chart drew its four curves (two per run).
    expect(await card.getByTestId('run-compare-table').locator('tbody tr').count()).toBe(2);
    expect(await card.locator('.lb-compare__plot canvas').count()).toBe(1);
    expect(await card.getByTestId('run-compare-no-chart').count()).toBe(0);

    await card.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const dir = path.join(ROOT, 'docs', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await card.screenshot({ path: path.join(dir, 'lesson-overfitting.png') });
    // At 1024 px the card still fits its column (the table scrolls inside it if it must).
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.waitForTimeout(300);
    expect(await card.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  }, 10 * MINUTE);
});
