/**
 * The neuron view in real Chromium on a 2-4-1 tanh network for exclusive or: the starting
 * weights before training, snapshots that change while it trains (on WebGL), a weight set by
 * clicking its connection (the model and the decision boundary follow), the hover formula, and
 * the forward/backward step-through with its numbers. Retakes the README's picture. And a
 * perceptron set by hand before training, which the run starts from; and a model loaded from
 * files, drawn when its layers are the graph's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describeBrowser, exportFromShareMenu, openTraining, ROOT, saveScreenshot, watchConsoleErrors } from './harness';
import { XOR_241 } from './lesson-docs';

const MINUTE = 60_000;


/** The weights the view draws, connection by connection. */
function drawnWeights(page: Page): Promise<string> {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="neuron-weight"]')].map((g) => (g as HTMLElement).dataset.weight).join(' '));
}

describeBrowser('the neuron view', (app) => {
  it('draws a 2-4-1 network, follows training, sets a weight, and steps through one example', async () => {
    const page = await app.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    const errors = watchConsoleErrors(page);
    await openTraining(page, app.url('/'), { doc: XOR_241, backend: 'webgl' });

    // Before any run the view waits to be asked (it needs TensorFlow.js), then shows the seed's weights.
    await page.getByTestId('neuron-load').click();
    const view = page.getByTestId('neuron-view');
    await view.waitFor({ timeout: MINUTE });
    expect(await view.getByTestId('neuron').count()).toBe(2 + 4 + 1);
    expect(await view.getByTestId('neuron-weight').count()).toBe(2 * 4 + 4 * 1);
    const start = await drawnWeights(page);

    // While training: snapshots at epoch ends change the drawing.
    await page.getByTestId('train-start').click();
    const seen = new Set<string>([start]);
    const poll = async () => {
      for (let i = 0; i < 600; i++) {
        seen.add(await drawnWeights(page));
        if ((await page.getByTestId('train-status').textContent())?.includes('done')) return;
        await page.waitForTimeout(50);
      }
    };
    await poll();
    await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 5 * MINUTE });
    expect(await page.getByTestId('backend').textContent()).toBe('webgl');
    await page.getByTestId('test-accuracy').filter({ hasText: '%' }).waitFor();
    const trained = await drawnWeights(page);
    seen.add(trained);
    process.stdout.write(`neuron view: ${seen.size} distinct drawings of the weights during the run\n`);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(trained).not.toBe(start);

    // Hover a hidden neuron: its formula with the trained numbers.
    await view.getByTestId('neuron').nth(2).hover();
    expect(await page.getByTestId('neuron-formula').textContent()).toMatch(/^hidden 1 = tanh\(.+·x1 .+·x2 .+\)$/);

    // Click a connection and set its weight: the view and the boundary follow the model.
    const boundaryBefore = Number(await page.getByTestId('decision-boundary').getAttribute('data-version'));
    const link = view.getByTestId('neuron-weight').first();
    await link.click();
    const input = page.getByTestId('weight-input');
    await input.fill('-2.5');
    await input.press('Enter');
    await page.waitForFunction(() => (document.querySelector('[data-testid="neuron-weight"]') as HTMLElement | null)?.dataset.weight === '-2.5');
    await page.waitForFunction((v) => Number(document.querySelector('[data-testid="decision-boundary"]')?.getAttribute('data-version')) > v, boundaryBefore);
    expect(await page.getByTestId('weight-popover').count()).toBe(0);

    // The step-through: forward numbers, then the gradient step.
    await page.getByTestId('step-index').fill('3');
    await page.getByTestId('step-forward').click();
    expect(await page.getByTestId('step-forward-unit').count()).toBe(4 + 1);
    expect(await page.getByTestId('step-loss').textContent()).toMatch(/Binary cross-entropy: L = \d+\.\d{3}/);
    await page.getByTestId('step-backward').click();
    expect(await page.getByTestId('step-backward-table').count()).toBe(2);
    expect(await page.getByTestId('step-backward-table').first().textContent()).toMatch(/∇ −?\d+\.\d{3}/);

    await view.getByTestId('neuron').nth(4).hover();
    await page.waitForTimeout(300);
    await saveScreenshot(page, 'neurons-panel');
    // The whole card, below the editor's bar: a viewport that holds it, the card in its middle.
    await page.setViewportSize({ width: 1440, height: 1900 });
    await page.getByTestId('neuron-card').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await view.getByTestId('neuron').nth(4).hover();
    await page.waitForTimeout(300);
    const dir = path.join(ROOT, 'docs', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await page.getByTestId('neuron-card').screenshot({ path: path.join(dir, 'lesson-neurons.png') });
    expect(errors).toEqual([]);
  }, 10 * MINUTE);

  it('a model loaded from files is drawn when its layers are the graph’s, and said not to be when they are not', async () => {
    const page = await app.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    const errors = watchConsoleErrors(page);
    await openTraining(page, app.url('/'), { template: 'playground-circle' });
    await page.getByTestId('train-epochs').fill('5');
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 2 * MINUTE });
    const trained = await drawnWeights(page);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerboard-neurons-'));
    try {
      const files = await exportFromShareMenu(page, dir, 2);
      // A new page: the graph's own starting weights first, then the loaded model's.
      const fresh = await app.newPage();
      await fresh.setViewportSize({ width: 1440, height: 1000 });
      const freshErrors = watchConsoleErrors(fresh);
      await openTraining(fresh, app.url('/'), { template: 'playground-circle' });
      await fresh.getByTestId('neuron-load').click();
      await fresh.getByTestId('neuron-view').waitFor({ timeout: MINUTE });
      const seeded = await drawnWeights(fresh);
      expect(seeded).not.toBe(trained);
      await fresh.getByTestId('model-files').setInputFiles(files);
      await fresh.getByTestId('train-message').filter({ hasText: 'Loaded playground-circle.model.json' }).waitFor({ timeout: MINUTE });
      await fresh.waitForFunction((w) => [...document.querySelectorAll('[data-testid="neuron-weight"]')].map((g) => (g as HTMLElement).dataset.weight).join(' ') === w, trained, { timeout: MINUTE });
      expect(await fresh.getByTestId('neuron-card').textContent()).toContain('the weights of playground-circle.model.json');
      // A weight set now is set in the loaded model: the view follows.
      await fresh.getByTestId('neuron-weight').first().click();
      await fresh.getByTestId('weight-input').fill('4');
      await fresh.getByTestId('weight-input').press('Enter');
      await fresh.waitForFunction(() => (document.querySelector('[data-testid="neuron-weight"]') as HTMLElement | null)?.dataset.weight === '4');
      // Another dense chain (2-4-1): the loaded 2-8-8-1 is not drawn as it.
      await fresh.evaluate(`window.__layerboard.openDocument(${JSON.stringify({ ...XOR_241, training: undefined })})`);
      await fresh.getByTestId('neuron-not-this-graph').waitFor({ timeout: MINUTE });
      expect(await fresh.getByTestId('neuron-not-this-graph').textContent()).toContain('playground-circle.model.json is evaluated, but its layers are not this graph');
      expect(await fresh.getByTestId('neuron-view').count()).toBe(0);
      expect(await fresh.getByTestId('neuron-card').textContent()).not.toContain('the weights of');
      expect(freshErrors).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
  }, 5 * MINUTE);

  it('a perceptron whose weights are set by hand before training starts from them: x1 + x2 = 0 already separates the Gaussians', async () => {
    const page = await app.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    const errors = watchConsoleErrors(page);
    await openTraining(page, app.url('/'), { template: 'perceptron' });
    await page.getByTestId('neuron-load').click();
    const view = page.getByTestId('neuron-view');
    await view.waitFor({ timeout: MINUTE });
    const set = async (target: ReturnType<Page['getByTestId']>, value: string) => {
      await target.click();
      expect(await page.getByTestId('weight-popover').textContent()).toContain('Start trains from the weights shown here, your edits included.');
      await page.getByTestId('weight-input').fill(value);
      await page.getByTestId('weight-input').press('Enter');
      await page.getByTestId('weight-popover').waitFor({ state: 'detached' });
    };
    await set(view.getByTestId('neuron-weight').nth(0), '1');
    await set(view.getByTestId('neuron-weight').nth(1), '1');
    await set(view.getByTestId('neuron').nth(2), '0');
    expect(await drawnWeights(page)).toBe('1 1');
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 2 * MINUTE });
    expect(await page.getByTestId('train-message').textContent()).toContain('the weights you set already do (pass 1 made no mistake');
    expect(await drawnWeights(page)).toBe('1 1');
    expect(errors).toEqual([]);
  }, 5 * MINUTE);
});
