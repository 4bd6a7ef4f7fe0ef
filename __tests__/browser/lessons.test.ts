/**
 * The README's Lessons pictures that no other browser test takes: the inspector's activation
 * plots (function and derivative with the course's caveat) for sigmoid and leaky ReLU, and the
 * Playground circle template drawn whole by the neuron view after its own run, and the note the
 * Neurons card gives for a dense chain too wide to draw (the Spiral MLP).
 * The plotted curve itself is checked against the formulas in the unit tests; here the plot
 * must be on the page, for the activation the node has, and follow a change of it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeBrowser, openTraining, ROOT, watchConsoleErrors } from './harness';

const DOCS_SHOTS = path.join(ROOT, 'docs', 'screenshots');

describeBrowser('lessons: activation functions', (app) => {
  it('plots the selected layer’s activation and its derivative in the inspector, and follows a change', async () => {
    fs.mkdirSync(DOCS_SHOTS, { recursive: true });
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(app.url('/'), { waitUntil: 'networkidle' });
    await page.locator('main[data-ready="true"]').waitFor();
    await page.waitForFunction('!!window.__layerboard');
    const doc = {
      format: 'layerboard.graph', version: 1, name: 'Activation functions',
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'hidden', type: 'Dense', params: { units: 4, activation: 'sigmoid' } },
        { id: 'act', type: 'Activation', params: { activation: 'leakyRelu' } },
        { id: 'out', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
      ],
      edges: [{ source: 'x', target: 'hidden' }, { source: 'hidden', target: 'act' }, { source: 'act', target: 'out' }],
    };
    await page.evaluate(`window.__layerboard.openDocument(${JSON.stringify(doc)})`);
    await page.locator('.react-flow__node[data-id="hidden"]').click();
    const plot = page.getByTestId('activation-plot').first();
    await plot.waitFor();
    expect(await plot.getAttribute('data-activation')).toBe('sigmoid');
    expect(((await plot.textContent()) ?? '').toLowerCase()).toContain('saturat');
    await plot.screenshot({ path: path.join(DOCS_SHOTS, 'lesson-activations.png') });

    await page.locator('.react-flow__node[data-id="act"]').click();
    await page.getByTestId('activation-plot').first().waitFor();
    expect(await page.getByTestId('activation-plot').first().getAttribute('data-activation')).toBe('leakyRelu');
    expect(errors).toEqual([]);
  }, 120_000);

  it('trains the Playground circle template and draws every neuron and weight of its 2-8-8-1 network', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await openTraining(page, app.url('/'), { template: 'playground-circle' });
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 180_000 });
    await page.getByTestId('test-accuracy').filter({ hasText: '%' }).waitFor();
    const acc = Number(/([\d.]+)%/.exec((await page.getByTestId('test-accuracy').textContent()) ?? '')![1]);
    expect(acc).toBeGreaterThanOrEqual(97);
    const card = page.getByTestId('neuron-card');
    expect(await card.getByTestId('neuron').count()).toBe(2 + 8 + 8 + 1);
    expect(await card.getByTestId('neuron-weight').count()).toBe(2 * 8 + 8 * 8 + 8);
    // Every neuron is filled with its map over the plane.
    expect(await card.locator('image[href^="data:image/bmp;base64,"]').count()).toBe(2 + 8 + 8 + 1);
    await page.waitForTimeout(300);
    await card.screenshot({ path: path.join(DOCS_SHOTS, 'lesson-playground.png') });
    expect(errors).toEqual([]);
  }, 240_000);

  it('the Spiral MLP, a dense chain too wide to draw: the Neurons card names the layer and the limit', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await openTraining(page, app.url('/'), { template: 'spiral-mlp' });
    const note = page.getByTestId('neuron-card').getByTestId('neuron-too-wide');
    await note.waitFor();
    expect(await note.textContent()).toContain('"hidden1" has 64 units; the neuron view draws layers of at most 10.');
    expect(await page.getByTestId('neuron-view').count()).toBe(0);
    await page.getByTestId('neuron-card').screenshot({ path: path.join(os.tmpdir(), 'layerboard-neuron-too-wide.png') });
    expect(errors).toEqual([]);
  }, 120_000);
});
