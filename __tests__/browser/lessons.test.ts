/**
 * The README's Lessons pictures that no other browser test takes: the inspector's activation
 * plots (function and derivative with the course's caveat) for sigmoid, ReLU and leaky ReLU.
 * The plotted curve itself is checked against the formulas in the unit tests; here the plot
 * must be on the page, for the activation the node has, and follow a change of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeBrowser, ROOT, watchConsoleErrors } from './harness';

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
});
