/**
 * Training health in real Chromium: a ReLU network trained on the spiral with plain SGD at a
 * learning rate of 10 kills its hidden units; the Training health card says so in words,
 * with the figures per layer, its Show link opens the canvas on the node, and the node's face
 * carries the warning mark with the sentence. Tensors stay flat from epoch to epoch with the
 * measurements in between. Retakes the README's picture.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeBrowser, openTraining, ROOT, saveScreenshot, watchConsoleErrors } from './harness';

const MINUTE = 60_000;

const DYING = {
  format: 'layerboard.graph', version: 1, name: 'Dying ReLU',
  nodes: [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'dense_1', type: 'Dense', params: { units: 16, activation: 'relu' } },
    { id: 'out', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ],
  edges: [{ source: 'x', target: 'dense_1' }, { source: 'dense_1', target: 'out' }],
  training: { dataset: 'spiral', epochs: 12, optimizer: 'sgd', learningRate: 10, batchSize: 16 },
};

describeBrowser('training health', (app) => {
  it('warns in words, on the card and on the node, that a ReLU layer died', async () => {
    const page = await app.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    const errors = watchConsoleErrors(page);
    await openTraining(page, app.url('/'), { doc: DYING, backend: 'webgl' });

    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 5 * MINUTE });
    expect(await page.getByTestId('backend').textContent()).toBe('webgl');

    const card = page.getByTestId('health-warnings');
    await card.waitFor();
    const dead = card.locator('li[data-kind="dead"][data-node="dense_1"]');
    const sentence = (await dead.textContent()) ?? '';
    process.stdout.write(`training health: ${sentence}\n`);
    expect(sentence).toMatch(/^(\d+) % of dense_1's ReLU units are dead \((\d+) of 16 never fire on a batch of 64\): lower the learning rate, or use leaky ReLU/);
    const [, share, count] = /^(\d+) % .*\((\d+) of 16/.exec(sentence)!;
    expect(Number(count)).toBeGreaterThanOrEqual(8);
    expect(Number(share)).toBe(Math.round((Number(count) / 16) * 100));
    expect(await card.getByTestId('health-ok').count()).toBe(0);
    // The figures per layer agree with the sentence.
    await card.locator('summary', { hasText: 'Figures per layer' }).click();
    expect(await card.locator('tr[data-node="dense_1"] td').nth(1).textContent()).toBe(`${share} % (${count}/16)`);

    // Flat from epoch to epoch: the measurements free what they make.
    const log = await page.evaluate(() => window.__layerboard!.trainingLog());
    expect(log.epochs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(log.epochs.map((e) => e.numTensors)).size).toBe(1);

    const dir = path.join(ROOT, 'docs', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await card.screenshot({ path: path.join(dir, 'lesson-health.png') });

    // Show: the canvas, with the mark on the node and the sentence in its tooltip.
    await dead.getByRole('button', { name: 'Show' }).click();
    const mark = page.locator('.react-flow__node[data-id="dense_1"]').getByTestId('node-health');
    await mark.waitFor();
    expect(await mark.getAttribute('aria-label')).toContain(`Training health: ${share} % of dense_1's ReLU units are dead`);
    await mark.hover();
    await mark.getByRole('tooltip').waitFor();
    await saveScreenshot(page, 'health-node', { fullPage: false });
    expect(errors).toEqual([]);
  }, 10 * MINUTE);
});
