// The editor in real Chromium: build LeNet-5 by hand on an empty canvas (drag from the palette,
// connect handles with the mouse, set params in the inspector), break it, undo, reload.
import type { Locator, Page } from 'playwright-core';
import { describeBrowser, saveScreenshot, watchConsoleErrors } from './harness';

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a connection from one node's output handle to another's input handle. */
async function connect(page: Page, source: string, target: string): Promise<void> {
  const from = await centre(page.locator(`.react-flow__node[data-id="${source}"] .react-flow__handle.source`));
  const to = await centre(page.locator(`.react-flow__node[data-id="${target}"] .react-flow__handle.target`).last());
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 6 });
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
}

/** Selects a node by clicking its name, then sets one inspector field. */
async function setParam(page: Page, node: string, param: string, value: string): Promise<void> {
  await page.locator(`.react-flow__node[data-id="${node}"] .lb-node__name`).click();
  const inspector = page.locator(`[data-testid="inspector"][data-node-id="${node}"]`);
  await inspector.waitFor();
  const field = inspector.getByTestId(`field-${param}`).locator('input, select').first();
  if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
  else await field.fill(value);
  await field.press('Enter');
}

/** Waits until `read()` gives `expected` (or fails with the last value after `timeout` ms). */
async function until<T>(read: () => Promise<T>, expected: T, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: T = await read();
  while (last !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  expect(last).toBe(expected);
}

async function edgeCount(page: Page): Promise<number> {
  return page.locator('.react-flow__edge').count();
}

const LENET: [id: string, type: string, column: number, row: number][] = [
  ['input_1', 'Input', 0, 0],
  ['conv2d_1', 'Conv2D', 0, 1],
  ['average_pooling2d_1', 'AveragePooling2D', 0, 2],
  ['conv2d_2', 'Conv2D', 1, 0],
  ['average_pooling2d_2', 'AveragePooling2D', 1, 1],
  ['flatten_1', 'Flatten', 1, 2],
  ['dense_1', 'Dense', 2, 0],
  ['dense_2', 'Dense', 2, 1],
  ['dense_3', 'Dense', 2, 2],
];

// Each step drives a real browser; jest's 5 s default is too short on a 2-core machine.
const STEP_MS = 90_000;

describeBrowser('editor', (app) => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await app.newPage();
    errors = watchConsoleErrors(page);
    await page.goto(app.url('/'), { waitUntil: 'networkidle' });
    await page.locator('main[data-ready="true"]').waitFor();
  }, STEP_MS);

  it('starts empty, with every palette entry and a zero total', async () => {
    await page.getByTestId('empty-state').waitFor();
    for (const type of ['Input', 'Dense', 'Conv2D', 'MaxPooling2D', 'BatchNormalization', 'Add', 'Concatenate', 'Activation']) {
      await page.getByTestId(`palette-item-${type}`).waitFor();
    }
    expect(await page.getByTestId('total-params').textContent()).toBe('0');
  }, STEP_MS);

  it('builds LeNet-5 by dragging layers and connecting handles, and counts 61,706 params', async () => {
    const pane = page.locator('.react-flow__pane');
    for (const [id, type, column, row] of LENET) {
      await page.getByTestId(`palette-item-${type}`).dragTo(pane, {
        targetPosition: { x: 130 + column * 236, y: 40 + row * 130 },
      });
      await page.locator(`.react-flow__node[data-id="${id}"]`).waitFor();
    }
    expect(await page.locator('.react-flow__node').count()).toBe(9);

    for (let i = 1; i < LENET.length; i++) {
      await connect(page, LENET[i - 1][0], LENET[i][0]);
      await until(() => edgeCount(page), i);
    }

    await setParam(page, 'input_1', 'shape', '32, 32, 1');
    await setParam(page, 'conv2d_1', 'filters', '6');
    await setParam(page, 'conv2d_1', 'kernelSize', '5');
    await setParam(page, 'conv2d_1', 'activation', 'tanh');
    await setParam(page, 'conv2d_2', 'filters', '16');
    await setParam(page, 'conv2d_2', 'kernelSize', '5');
    await setParam(page, 'dense_1', 'units', '120');
    await setParam(page, 'dense_2', 'units', '84');
    await setParam(page, 'dense_3', 'activation', 'softmax');

    await until(() => page.getByTestId('total-params').textContent(), '61,706');
    // The inspector shows the arithmetic with this layer's numbers.
    await page.locator('.react-flow__node[data-id="conv2d_1"] .lb-node__name').click();
    expect(await page.getByTestId('shape-formula').textContent()).toContain('(32 + 2·0 − 5)/1 + 1 = 28');
    expect(await page.getByTestId('param-formula').textContent()).toContain('5·5·1·6 + 6 = 156');
    // Edges carry their shapes.
    expect(await page.locator('.lb-edge-label', { hasText: '28×28×6' }).count()).toBe(1);
    await saveScreenshot(page, 'editor-lenet5', { fullPage: false });
  }, STEP_MS);

  it('refuses a connection that would close a cycle, and says why', async () => {
    const before = await edgeCount(page);
    await connect(page, 'dense_2', 'conv2d_1');
    await page.getByTestId('toasts').getByText(/loop/).waitFor();
    expect(await edgeCount(page)).toBe(before);
  }, STEP_MS);

  it('shows a shape error on the node and in the diagnostics, and undo removes it', async () => {
    await setParam(page, 'conv2d_2', 'kernelSize', '15');
    const node = page.locator('.react-flow__node[data-id="conv2d_2"]');
    await node.locator('.lb-node--error').waitFor();
    const badge = node.getByTestId('node-badge');
    expect(await badge.getAttribute('aria-label')).toMatch(/14 \+ 2·0 − 15/);
    const item = page.getByTestId('diagnostics').locator('[data-code="output-size"]');
    await item.waitFor();
    expect(await item.textContent()).toContain('conv2d_2');
    await saveScreenshot(page, 'editor-shape-error', { fullPage: false });

    // Clicking the diagnostic selects its node.
    await item.click();
    await page.locator('[data-testid="inspector"][data-node-id="conv2d_2"]').waitFor();

    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await until(() => page.getByTestId('total-params').textContent(), '61,706');
    expect(await page.locator('.react-flow__node .lb-node--error').count()).toBe(0);
    expect(await page.getByTestId('diagnostics').locator('[data-code="output-size"]').count()).toBe(0);
  }, STEP_MS);

  it('rejects a bad inspector value beside the field without touching the graph', async () => {
    await page.locator('.react-flow__node[data-id="dense_1"] .lb-node__name').click();
    const field = page.getByTestId('inspector').getByTestId('field-units');
    await field.locator('input').fill('2.5');
    expect(await field.getByTestId('field-error-units').textContent()).toContain('whole number');
    expect(await page.getByTestId('total-params').textContent()).toBe('61,706');
    await field.locator('input').press('Escape');
  }, STEP_MS);

  it('finds the graph again after a reload', async () => {
    await page.waitForTimeout(400); // the autosave delay
    await page.reload({ waitUntil: 'networkidle' });
    await page.locator('main[data-ready="true"]').waitFor();
    await page.locator('.react-flow__node[data-id="dense_3"]').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(9);
    expect(await edgeCount(page)).toBe(8);
    expect(await page.getByTestId('total-params').textContent()).toBe('61,706');
    await saveScreenshot(page, 'editor-reloaded', { fullPage: false });
  }, STEP_MS);

  it('logged no errors in the console', () => {
    expect(errors).toEqual([]);
  });
});
