/**
 * The convolution lessons in real Chromium: a Conv2D with an edge preset shows its 3×3 grid and
 * the preview (the built-in photo, then an MNIST digit); editing a cell changes the preview.
 * A node of the MNIST convnet shows its feature maps for a test digit with the untrained
 * weights; after a run, a convnet's maps come from the trained weights. The README's pictures
 * lesson-filters.png and lesson-feature-maps.png are taken here. The numbers themselves are
 * checked in the unit tests (a hand-computed convolution; tfjs's own intermediate outputs).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describeBrowser, ROOT, saveScreenshot, watchConsoleErrors } from './harness';

const DOCS_SHOTS = path.join(ROOT, 'docs', 'screenshots');
const MINUTE = 60_000;

/** The preview's output canvas as a data URL: it changes when the convolution does. */
const outputPixels = (page: Page) => page.getByTestId('kernel-preview-output').evaluate((c) => (c as HTMLCanvasElement).toDataURL());

async function open(page: Page, doc: unknown): Promise<void> {
  await page.evaluate(`window.__layerboard.openDocument(${JSON.stringify(doc)})`);
}

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

describeBrowser('lessons: convolution filters and feature maps', (app) => {
  it('shows a preset’s grid and its preview, live while a weight is edited', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(app.url('/'), { waitUntil: 'networkidle' });
    await page.locator('main[data-ready="true"]').waitFor();
    await page.waitForFunction('!!window.__layerboard');
    await open(page, {
      format: 'layerboard.graph', version: 1, name: 'Filters',
      nodes: [
        { id: 'image', type: 'Input', params: { shape: [28, 28, 1] } },
        { id: 'edges', type: 'Conv2D', params: { filters: 1, kernelSize: 3, padding: 'same', kernelPreset: 'edgeHorizontal' } },
      ],
      edges: [{ source: 'image', target: 'edges' }],
    });
    await node(page, 'edges').click();
    const grid = page.getByTestId('kernel-grid');
    await grid.waitFor();
    expect(await grid.locator('input').evaluateAll((cells) => cells.map((c) => Number((c as HTMLInputElement).value)))).toEqual([-1, -1, -1, 0, 0, 0, 1, 1, 1]);
    const preview = page.getByTestId('kernel-preview');
    await preview.getByText('input 128×128').waitFor();
    const before = await outputPixels(page);

    await grid.getByLabel('row 2, column 2').fill('4');
    await page.waitForFunction((b) => (document.querySelector('[data-testid="kernel-preview-output"]') as HTMLCanvasElement).toDataURL() !== b, before);
    expect(await page.getByTestId('field-kernelPreset').locator('select').inputValue()).toBe('custom');

    // An MNIST digit, fetched when chosen; back to the horizontal edges for the picture.
    await preview.getByLabel('Preview image').selectOption('mnist');
    await preview.getByText('input 28×28').waitFor();
    await page.getByTestId('field-kernelPreset').locator('select').selectOption('edgeHorizontal');
    await preview.getByLabel('Preview image').selectOption('photo');
    await preview.getByText('input 128×128').waitFor();
    // The window follows the pointer: over the house's roof edge, pixel (row 44, column 38).
    // The preview sits below the fold of the inspector: a pointer outside the viewport reaches nothing.
    const input = page.getByTestId('kernel-preview-input');
    await input.scrollIntoViewIfNeeded();
    const box = (await input.boundingBox())!;
    await page.mouse.move(box.x + (box.width * 38.5) / 128, box.y + (box.height * 44.5) / 128);
    const sum = page.getByTestId('kernel-preview-sum');
    expect([await sum.getAttribute('data-row'), await sum.getAttribute('data-col')]).toEqual(['44', '38']);
    await saveScreenshot(page, 'lesson-filters-page');
    const lesson = page.getByTestId('kernel-lesson');
    await lesson.scrollIntoViewIfNeeded();
    await lesson.screenshot({ path: path.join(DOCS_SHOTS, 'lesson-filters.png') });
    expect(errors).toEqual([]);
  }, 3 * MINUTE);

  it('shows feature maps of the MNIST convnet untrained, and of a trained convnet after its run', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(app.url('/'), { waitUntil: 'networkidle' });
    await page.locator('main[data-ready="true"]').waitFor();
    await page.waitForFunction('!!window.__layerboard');
    await page.evaluate(`window.__layerboard.openTemplate('mnist-convnet')`);
    await node(page, 'conv2d_1').click();
    const maps = page.getByTestId('feature-maps');
    await maps.getByRole('button', { name: 'Show feature maps' }).click();
    await page.locator('[data-testid="feature-maps"][data-state="untrained"]').waitFor({ timeout: 2 * MINUTE });
    expect(await maps.locator('canvas').count()).toBe(32);
    expect(await maps.textContent()).toContain('[26, 26, 32]');
    // The selection moves: the maps follow (pooling halves them), then the dense output's bars.
    await saveScreenshot(page, 'lesson-feature-maps-untrained');
    await node(page, 'max_pooling2d_1').click();
    await maps.getByText('[13, 13, 32]').waitFor({ timeout: MINUTE });
    await node(page, 'output').click();
    await maps.getByText('[10]').waitFor({ timeout: MINUTE });
    expect(await maps.locator('[data-kind="bars"] .lb-fmaps__row').count()).toBe(10);

    // A small convnet trained for one epoch: its maps use the trained weights.
    await open(page, {
      format: 'layerboard.graph', version: 1, name: 'Small convnet',
      nodes: [
        { id: 'image', type: 'Input', params: { shape: [28, 28, 1] } },
        { id: 'conv', type: 'Conv2D', params: { filters: 8, kernelSize: 3, activation: 'relu' } },
        { id: 'pool', type: 'MaxPooling2D', params: { poolSize: 2 } },
        { id: 'flat', type: 'Flatten', params: {} },
        { id: 'out', type: 'Dense', params: { units: 10, activation: 'softmax' } },
      ],
      edges: [{ source: 'image', target: 'conv' }, { source: 'conv', target: 'pool' }, { source: 'pool', target: 'flat' }, { source: 'flat', target: 'out' }],
      training: { dataset: 'mnist', epochs: 1 },
    });
    await page.getByTestId('view-train').click();
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 8 * MINUTE });
    await page.getByTestId('view-design').click();
    await node(page, 'conv').click();
    await page.locator('[data-testid="feature-maps"][data-state="trained"]').waitFor({ timeout: MINUTE });
    expect(await maps.locator('canvas').count()).toBe(8);
    await maps.getByTestId('feature-maps-sample').fill('7');
    await maps.getByText('Output for sample 7').waitFor();
    await page.locator('[data-testid="feature-maps"][data-state="trained"]').waitFor();
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'lesson-feature-maps-page');
    await maps.scrollIntoViewIfNeeded();
    await maps.screenshot({ path: path.join(DOCS_SHOTS, 'lesson-feature-maps.png') });
    expect(errors).toEqual([]);
  }, 12 * MINUTE);
});
