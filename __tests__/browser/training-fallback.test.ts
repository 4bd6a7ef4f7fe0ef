/**
 * The CPU fallback: training still works, with a visible notice, when the browser has no WebGL
 * at all, and when the WebGL context is lost in the middle of a run; and the run bar's Backend
 * choice moves training to the CPU and back from one run to the next.
 */
import type { Page } from 'playwright-core';
import { describeBrowser, LLVMPIPE_FLAGS, openTraining, saveScreenshot, waitPastFirstEpoch } from './harness';

async function train(page: Page): Promise<string> {
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 3 * 60_000 });
  return (await page.getByTestId('train-status').getAttribute('data-state')) ?? '';
}

describeBrowser(
  'training without WebGL',
  (app) => {
    it('trains on the CPU and says so when the browser has no WebGL', async () => {
      const page = await app.newPage();
      await openTraining(page, app.url('/'), { template: 'spiral-mlp' });
      await page.getByTestId('train-epochs').fill('2');
      expect(await train(page)).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('cpu');
      expect(await page.getByTestId('backend-notice').textContent()).toMatch(/WebGL is not available in this browser, so training runs on the CPU/);
      expect(await page.getByTestId('test-accuracy').textContent()).toMatch(/%$/);
      await saveScreenshot(page, 'training-cpu-fallback', { fullPage: false });
    }, 4 * 60_000);
  },
  // No WebGL anywhere: --disable-3d-apis alone turns it off for the page's canvases only (an
  // OffscreenCanvas in the training worker still gets a context); without a GPU and without
  // the software rasterizer, neither the page nor a worker has one.
  { args: ['--disable-3d-apis', '--disable-gpu', '--disable-software-rasterizer'] },
);

describeBrowser(
  'training when the WebGL context is lost',
  (app) => {
    it('stops the run, moves to the CPU with a notice, and trains there next time', async () => {
      const page = await app.newPage();
      // WebGL asked for: "auto" may measure the CPU faster for this small network.
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'webgl' });
      await page.getByTestId('train-epochs').fill('200');
      await page.getByTestId('train-start').click();
      await waitPastFirstEpoch(page, 200);
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      await page.evaluate('window.__layerboard.loseWebGLContext()');
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('train-status').getAttribute('data-state')).toBe('error');
      expect(await page.getByTestId('train-message').textContent()).toMatch(/WebGL context was lost/);
      expect(await page.getByTestId('backend').textContent()).toBe('cpu');
      expect(await page.getByTestId('backend-notice').textContent()).toMatch(/WebGL context was lost .* moved to the CPU/);

      await page.getByTestId('train-backend').selectOption('auto');
      await page.getByTestId('train-epochs').fill('2');
      expect(await train(page)).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('cpu');
    }, 4 * 60_000);

    it('trains on the CPU when Backend is set to CPU, and on WebGL again when it is set to WebGL', async () => {
      const page = await app.newPage();
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'cpu' });
      expect(await page.getByTestId('train-backend').inputValue()).toBe('cpu');
      await page.getByTestId('train-epochs').fill('2');
      expect(await train(page)).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('cpu');
      expect(await page.getByTestId('backend-notice').textContent()).toMatch(/on the CPU because it was asked for/);

      // The select in the run bar: the next run moves back to WebGL, and the notice goes.
      await page.getByTestId('train-backend').selectOption('webgl');
      expect(await train(page)).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      expect(await page.getByTestId('backend-notice').count()).toBe(0);
      expect(await page.getByTestId('test-accuracy').textContent()).toMatch(/%$/);
      await saveScreenshot(page, 'training-backend-choice', { fullPage: false });
    }, 4 * 60_000);
  },
  { flags: LLVMPIPE_FLAGS },
);
