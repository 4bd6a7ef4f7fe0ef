/**
 * The "auto" backend, measured: the Playground circle with a 2-8-8-1 tanh network trains on
 * whichever backend trained its first batches faster, the CPU vs GPU card shows both measured
 * rates and why, and the badge shows the pick; a second run of the same network starts from
 * the remembered measurement, and the slower one chosen in the run bar trains with both rates still
 * shown. The Keras MNIST convnet is measured too, and WebGL wins it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CIRCLE_2881 as BENCH_CIRCLE } from '../../bench/playground';
import { describeBrowser, LLVMPIPE_FLAGS, openTraining, ROOT, watchConsoleErrors } from './harness';

/** The Playground speed benchmark's network, for 20 epochs. */
const CIRCLE_2881 = { ...BENCH_CIRCLE, training: { ...BENCH_CIRCLE.training, epochs: 20 } };

async function speeds(page: Page): Promise<Record<string, number>> {
  const rows = page.getByTestId('backend-speeds').locator('tr[data-value]');
  const out: Record<string, number> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out[((await row.getAttribute('data-testid')) ?? '').replace('backend-speed-', '')] = Number(await row.getAttribute('data-value'));
  }
  return out;
}

describeBrowser(
  'the auto backend, measured on the model',
  (app) => {
    it('trains the 2-8-8-1 circle network on the faster backend, shows both rates, and remembers them', async () => {
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      await openTraining(page, app.url('/'), { doc: CIRCLE_2881 });
      expect(await page.getByTestId('train-backend').inputValue()).toBe('auto');
      await page.getByTestId('train-start').click();
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 3 * 60_000 });
      expect(await page.getByTestId('train-status').getAttribute('data-state')).toBe('completed');

      const card = page.getByTestId('backend-speeds');
      const measured = await speeds(page);
      expect(Object.keys(measured).sort()).toEqual(['cpu', 'webgl']);
      expect(measured.cpu).toBeGreaterThan(0);
      expect(measured.webgl).toBeGreaterThan(0);
      const picked = measured.cpu > measured.webgl ? 'cpu' : 'webgl';
      expect(await card.getAttribute('data-picked')).toBe(picked);
      expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe(picked);
      expect(await page.getByTestId('backend-reason').textContent()).toMatch(/(CPU|WebGL) (is [\d.]+× faster than (WebGL|CPU)|and (WebGL|CPU) are about as fast) for this 2-8-8-1 network/);
      console.log(`circle 2-8-8-1, batch 10: cpu ${measured.cpu.toFixed(0)} ex/s, webgl ${measured.webgl.toFixed(0)} ex/s, picked ${picked}`);

      await card.scrollIntoViewIfNeeded();
      const dir = path.join(ROOT, 'docs', 'screenshots');
      fs.mkdirSync(dir, { recursive: true });
      await card.screenshot({ path: path.join(dir, 'lesson-cpu-gpu.png') });

      // The same network again: no new measurement, the same pick.
      await page.getByTestId('train-epochs').fill('2');
      await page.getByTestId('train-start').click();
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 3 * 60_000 });
      expect(await card.locator('.lb-train-aside').textContent()).toMatch(/measured at an earlier run/);
      expect(await speeds(page)).toEqual(measured);
      expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe(picked);

      // The slower backend chosen in the run bar: it trains, and the card still shows both rates.
      const other = picked === 'cpu' ? 'webgl' : 'cpu';
      await page.getByTestId('train-backend').selectOption(other);
      await page.getByTestId('train-start').click();
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 3 * 60_000 });
      expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe(other);
      expect(await card.getAttribute('data-picked')).toBe(other);
      expect(await speeds(page)).toEqual(measured);
      expect(await card.locator('.lb-train-aside').textContent()).toMatch(/chosen in the run bar; both measured at an earlier run of this 2-8-8-1 network/);
      expect(await page.getByTestId('backend-reason').textContent()).toMatch(/was chosen in the run bar\.$/);
      expect(errors).toEqual([]);
    }, 5 * 60_000);

    it('picks WebGL for the MNIST convnet, from its own measurement', async () => {
      const page = await app.newPage();
      await openTraining(page, app.url('/'), { template: 'mnist-convnet' });
      await page.getByTestId('train-start').click();
      const card = page.getByTestId('backend-speeds');
      await page.waitForFunction(() => document.querySelector('[data-testid="backend-speeds"]')?.getAttribute('data-picked') !== 'none', undefined, { timeout: 3 * 60_000 });
      const measured = await speeds(page);
      expect(measured.webgl).toBeGreaterThan(measured.cpu);
      expect(await card.getAttribute('data-picked')).toBe('webgl');
      expect(await page.getByTestId('backend-reason').textContent()).toMatch(/^WebGL is [\d.]+× faster than CPU for this convnet/);
      console.log(`MNIST convnet, batch 32: cpu ${measured.cpu.toFixed(1)} ex/s, webgl ${measured.webgl.toFixed(1)} ex/s`);
      await page.getByTestId('train-status').filter({ hasText: /epoch 1 of/ }).waitFor({ timeout: 2 * 60_000 });
      expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe('webgl');
      await page.getByTestId('train-stop').click();
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 3 * 60_000 });
    }, 5 * 60_000);
  },
  { flags: LLVMPIPE_FLAGS },
);
