/**
 * Training in real Chromium on WebGL (Mesa llvmpipe: real WebGL 2 in software, 2-3× faster
 * than SwiftShader for convnets). Every run asserts the backend badge says `webgl`, so a
 * silent fallback to the CPU fails the test instead of passing slowly.
 *
 * The runs go through the editor at `/`: `window.__layerboard.openTemplate` opens one of the
 * New menu's templates (lib/templates), and the test drives the training section under the
 * canvas through the panel's public test ids.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describeBrowser, LLVMPIPE_FLAGS, openTraining, saveScreenshot, watchConsoleErrors, waitPastFirstEpoch } from './harness';

const MINUTE = 60_000;

async function fill(page: Page, testId: string, value: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(value);
  await input.blur();
}

/** Waits until the status says `done`; returns the status element's state and the seconds it took. */
async function trainUntilDone(page: Page, timeoutMs: number): Promise<{ state: string; seconds: number; message: string }> {
  const t0 = Date.now();
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: timeoutMs });
  const state = (await page.getByTestId('train-status').getAttribute('data-state')) ?? '';
  const message = (await page.getByTestId('train-message').textContent()) ?? '';
  return { state, seconds: (Date.now() - t0) / 1000, message };
}

async function percent(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  const m = /([\d.]+)%/.exec(text);
  if (!m) throw new Error(`${testId} shows "${text}", not a percentage`);
  return Number(m[1]);
}

async function tensorsPerEpoch(page: Page): Promise<number[]> {
  const attr = (await page.getByTestId('epoch-log').getAttribute('data-tensors')) ?? '';
  return attr.split(',').filter(Boolean).map(Number);
}

describeBrowser(
  'training in the browser on WebGL',
  (app) => {
    it('trains the Keras MNIST convnet for one epoch to at least 90% test accuracy', async () => {
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      await openTraining(page, app.url('/'), { template: 'mnist-convnet' });
      expect(await page.getByTestId('dataset-select').inputValue()).toBe('mnist');
      expect(await page.getByTestId('backend').textContent()).toBe('not loaded');
      await fill(page, 'train-epochs', '1');

      const run = await trainUntilDone(page, 12 * MINUTE);
      process.stdout.write(`MNIST convnet, 1 epoch on 7,200 digits: ${run.seconds.toFixed(0)} s, test accuracy ${await page.getByTestId('test-accuracy').textContent()}\n`);
      expect(run.state).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      expect(await percent(page, 'test-accuracy')).toBeGreaterThanOrEqual(90);
      await page.getByTestId('confusion-matrix').waitFor();
      expect(await page.getByTestId('prediction-grid').locator('canvas').count()).toBeGreaterThan(10);
      expect(await tensorsPerEpoch(page)).toHaveLength(1);

      // Draw a vertical stroke: the pad shows ten probabilities and picks one.
      const pad = page.getByTestId('digit-pad');
      await pad.scrollIntoViewIfNeeded();
      const box = (await pad.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 25);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2 + i * 0.5, box.y + 25 + i * 12);
      await page.mouse.up();
      await page.getByTestId('digit-probs').and(page.locator('[data-top]:not([data-top=""])')).waitFor();

      // Export the model, then load the two files back: the same test accuracy.
      const accuracy = await page.getByTestId('test-accuracy').textContent();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerboard-model-'));
      const files: string[] = [];
      const saved = new Promise<void>((resolve) => {
        page.on('download', async (d) => {
          const file = path.join(dir, d.suggestedFilename());
          await d.saveAs(file);
          files.push(file);
          if (files.length === 2) resolve();
        });
      });
      await page.getByTestId('model-export').click();
      await saved;
      expect(files.map((f) => path.basename(f)).sort()).toEqual(['model.json', 'model.weights.bin']);
      await page.getByTestId('model-files').setInputFiles(files);
      await page.getByTestId('train-message').filter({ hasText: 'Loaded model.json' }).waitFor({ timeout: 2 * MINUTE });
      expect(await page.getByTestId('test-accuracy').textContent()).toBe(accuracy);
      fs.rmSync(dir, { recursive: true, force: true });

      await saveScreenshot(page, 'training-mnist');
      expect(errors).toEqual([]);
    }, 16 * MINUTE);

    it('learns the spiral with an MLP, and the tensor count stays flat from epoch to epoch', async () => {
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'webgl' });
      expect(await page.getByTestId('dataset-select').inputValue()).toBe('spiral');
      await fill(page, 'train-epochs', '40');

      const run = await trainUntilDone(page, 8 * MINUTE);
      process.stdout.write(`Spiral MLP, 40 epochs: ${run.seconds.toFixed(0)} s, test accuracy ${await page.getByTestId('test-accuracy').textContent()}\n`);
      expect(run.state).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      expect(await percent(page, 'test-accuracy')).toBeGreaterThanOrEqual(90);

      const tensors = await tensorsPerEpoch(page);
      expect(tensors).toHaveLength(40);
      expect(new Set(tensors.slice(1)).size).toBe(1);
      expect(tensors[tensors.length - 1]).toBe(tensors[0]);

      expect(Number(await page.getByTestId('decision-boundary').getAttribute('data-version'))).toBeGreaterThan(10);
      await page.getByTestId('show-test-points').check({ force: true });
      await saveScreenshot(page, 'training-spiral');
      expect(errors).toEqual([]);
    }, 10 * MINUTE);

    it('stops early when the validation loss stops improving, and restores the best weights', async () => {
      const page = await app.newPage();
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'webgl' });
      await page.getByTestId('dataset-select').selectOption('gaussian');
      await fill(page, 'train-epochs', '200');
      await page.getByTestId('early-stopping').check({ force: true });
      await fill(page, 'early-patience', '2');
      await fill(page, 'early-min-delta', '0.01');

      const run = await trainUntilDone(page, 5 * MINUTE);
      expect(run.state).toBe('early-stopped');
      expect(run.message).toMatch(/Stopped early after epoch \d+: the validation loss has not improved for 2 epochs/);
      expect(run.message).toMatch(/Restored the weights of epoch \d+/);
      const epochs = (await tensorsPerEpoch(page)).length;
      expect(epochs).toBeLessThan(200);
      const [, stoppedAt] = /after epoch (\d+)/.exec(run.message)!;
      const [, best] = /weights of epoch (\d+)/.exec(run.message)!;
      expect(Number(stoppedAt)).toBe(epochs);
      expect(Number(best)).toBe(epochs - 2);
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
    }, 6 * MINUTE);

    it('stops a run with a learning rate of 1e6 and says to lower the learning rate', async () => {
      const page = await app.newPage();
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'webgl' });
      await fill(page, 'train-lr', '1e6');
      await fill(page, 'train-epochs', '20');

      const run = await trainUntilDone(page, 3 * MINUTE);
      expect(['nan', 'diverged']).toContain(run.state);
      expect(run.message).toMatch(/Lower the learning rate \(it is 1000000\)/);
      expect(await page.getByTestId('test-accuracy').textContent()).toBe('—');
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      await saveScreenshot(page, 'training-nan-guard');
    }, 4 * MINUTE);

    it('pauses, resumes and stops a run', async () => {
      const page = await app.newPage();
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'webgl' });
      // Long enough to be paused in the middle.
      await page.getByTestId('train-epochs').fill('400');
      await page.getByTestId('train-start').click();
      await waitPastFirstEpoch(page, 400);
      await page.getByTestId('train-pause').click();
      await page.getByTestId('train-status').filter({ hasText: 'Paused' }).waitFor();
      // The batch in flight finishes, and the progress line catches up (it redraws every 100 ms).
      await page.waitForTimeout(500);
      const meta = page.locator('.lb-train-progress__meta');
      const before = await meta.textContent();
      await page.waitForTimeout(1500);
      expect(await meta.textContent()).toBe(before);
      await page.getByTestId('train-resume').click();
      await page.getByTestId('train-status').filter({ hasText: 'Training' }).waitFor();
      await page.getByTestId('train-stop').click();
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: MINUTE });
      expect(await page.getByTestId('train-status').getAttribute('data-state')).toBe('stopped');
      expect(await page.getByTestId('train-message').textContent()).toMatch(/^Stopped at epoch \d+, batch \d+/);
    }, 4 * MINUTE);
  },
  { flags: LLVMPIPE_FLAGS },
);
