/**
 * The training panel inside the editor at `/`: pick a template from the "New" menu, switch to
 * the Train view, see the graph and the data set checked together (Start stays disabled on a
 * mismatch), then train the graph on the canvas on WebGL and evaluate it.
 */
import { describeBrowser, LLVMPIPE_FLAGS, saveScreenshot, watchConsoleErrors } from './harness';

const MINUTE = 60_000;

describeBrowser(
  'training in the editor',
  (app) => {
    it('trains the MLP template from the New menu through the Train view', async () => {
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      await page.goto(app.url('/'), { waitUntil: 'networkidle' });
      await page.getByTestId('templates-button').click();
      await page.getByTestId('template-mlp').click();
      // Opening lays the template out first (ELK, in a worker): wait until it is the graph.
      await page.waitForFunction(() => {
        const hook = (window as unknown as { __layerboard?: { store: { getState(): { doc: { name?: string } } } } }).__layerboard;
        return hook?.store.getState().doc.name === 'MLP';
      });
      await page.getByTestId('view-train').click();

      const panel = page.getByTestId('training-panel');
      await panel.waitFor({ timeout: MINUTE });
      // The template's training block chose MNIST.
      expect(await page.getByTestId('dataset-select').inputValue()).toBe('mnist');
      expect(await page.getByTestId('backend').textContent()).toBe('not loaded');

      // The MLP reads 28×28 digits: XOR's 2-D points do not fit its Input, and Start says no.
      await page.getByTestId('dataset-select').selectOption('xor');
      await page.getByTestId('train-checks').locator('[data-code="data-input-shape"]').waitFor();
      expect(await page.getByTestId('train-start').isDisabled()).toBe(true);

      await page.getByTestId('dataset-select').selectOption('mnist');
      await page.getByTestId('train-checks').locator('[data-code="data-input-shape"]').waitFor({ state: 'detached' });
      const epochs = page.getByTestId('train-epochs');
      await epochs.fill('1');
      await epochs.blur();
      expect(await page.getByTestId('train-start').isEnabled()).toBe(true);

      const t0 = Date.now();
      await page.getByTestId('train-start').click();
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 8 * MINUTE });
      const accuracy = (await page.getByTestId('test-accuracy').textContent()) ?? '';
      process.stdout.write(`Editor, MLP template on MNIST, 1 epoch: ${((Date.now() - t0) / 1000).toFixed(0)} s, test accuracy ${accuracy}\n`);
      expect(await page.getByTestId('train-status').getAttribute('data-state')).toBe('completed');
      expect(accuracy).toMatch(/^\d+(\.\d+)?%$/);
      expect(parseFloat(accuracy)).toBeGreaterThanOrEqual(85);
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      await page.getByTestId('confusion-matrix').waitFor();

      // The settings went to the document's training block: the epochs field kept the value.
      expect(await epochs.inputValue()).toBe('1');
      await saveScreenshot(page, 'training-editor', { fullPage: false });
      expect(errors).toEqual([]);
    }, 10 * MINUTE);
  },
  { flags: LLVMPIPE_FLAGS },
);
