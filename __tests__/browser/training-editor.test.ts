/**
 * The training panel inside the editor at `/`: pick a template from the "New" menu, switch to
 * the Train view, see the graph and the data set checked together (Start stays disabled on a
 * mismatch), then train the graph on the canvas on WebGL and evaluate it; and the Share menu's
 * tfjs export carries the trained weights.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeBrowser, exportFromShareMenu, LLVMPIPE_FLAGS, openTraining, saveScreenshot, watchConsoleErrors } from './harness';

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
      // "auto": the backend that trained this MLP's first batches faster, as the CPU vs GPU card says.
      expect(await page.getByTestId('backend').textContent()).toBe(await page.getByTestId('backend-speeds').getAttribute('data-picked'));
      await page.getByTestId('confusion-matrix').waitFor();

      // The settings went to the document's training block: the epochs field kept the value.
      expect(await epochs.inputValue()).toBe('1');
      await saveScreenshot(page, 'training-editor', { fullPage: false });
      expect(errors).toEqual([]);
    }, 10 * MINUTE);

    it('exports model.json with the trained weights from the Share menu, and loads them back', async () => {
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'webgl' });
      await page.getByTestId('train-epochs').fill('5');
      await page.getByTestId('train-start').click();
      await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 4 * MINUTE });
      expect(await page.getByTestId('train-status').getAttribute('data-state')).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      const accuracy = await page.getByTestId('test-accuracy').textContent();

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerboard-share-'));
      try {
        const files = await exportFromShareMenu(page, dir, 2);
        expect(files.map((f) => path.basename(f))).toEqual(['spiral-mlp.model.json', 'spiral-mlp.model.weights.bin']);
        const json = JSON.parse(fs.readFileSync(files[0], 'utf8'));
        expect(json.format).toBe('layers-model');
        expect(json.weightsManifest).toHaveLength(1);
        expect(json.weightsManifest[0].paths).toEqual(['spiral-mlp.model.weights.bin']);
        const specs: { name: string; shape: number[]; dtype: string }[] = json.weightsManifest[0].weights;
        // 2→64, 64→64, 64→1 Dense layers: kernel and bias each, 4,417 float32 weights in all.
        expect(specs.map((w) => w.name)).toEqual(['hidden1/kernel', 'hidden1/bias', 'hidden2/kernel', 'hidden2/bias', 'output/kernel', 'output/bias']);
        const count = specs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
        expect(count).toBe(4417);
        expect(fs.statSync(files[1]).size).toBe(count * 4);
        expect(json.userDefinedMetadata.layerboard.dataset).toBe('spiral');
        await page.getByTestId('toasts').getByText('with the trained weights in spiral-mlp.model.weights.bin').waitFor();

        // The two files are the trained model: loaded back, it scores the same on the test split.
        await page.getByTestId('model-files').setInputFiles(files);
        await page.getByTestId('train-message').filter({ hasText: 'Loaded spiral-mlp.model.json' }).waitFor({ timeout: MINUTE });
        expect(await page.getByTestId('test-accuracy').textContent()).toBe(accuracy);

        // Once a layer changes, the trained weights no longer fit: the export is the topology only.
        await page.evaluate(`(() => {
          const doc = window.__layerboard.store.getState().doc;
          return window.__layerboard.openDocument({ ...doc, nodes: doc.nodes.map((n) => n.id === 'hidden2' ? { ...n, params: { ...n.params, units: 32 } } : n) });
        })()`);
        await page.getByTestId('train-start').click();
        await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 4 * MINUTE });
        await page.evaluate(`(() => {
          const doc = window.__layerboard.store.getState().doc;
          return window.__layerboard.openDocument({ ...doc, nodes: doc.nodes.map((n) => n.id === 'hidden2' ? { ...n, params: { ...n.params, units: 16 } } : n) });
        })()`);
        const [changed] = await exportFromShareMenu(page, fs.mkdtempSync(path.join(dir, 'changed-')), 1);
        expect(path.basename(changed)).toBe('spiral-mlp.model.json');
        expect(JSON.parse(fs.readFileSync(changed, 'utf8')).weightsManifest).toBeUndefined();
        await page.getByTestId('toasts').getByText(/The graph changed after it was trained/).waitFor();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      expect(errors).toEqual([]);
    }, 10 * MINUTE);
  },
  { flags: LLVMPIPE_FLAGS },
);
