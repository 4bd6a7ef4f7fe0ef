/**
 * The views leave no tensors behind, in real Chromium where training runs in a Web Worker: the
 * training host's tf.memory() (window.__layerboard.trainingMemory(), answered by the worker) is
 * read before a view opens and after it closes. Feature maps of the MNIST convnet untrained and
 * after a one-epoch run; the neuron view of a 2-4-1 network for exclusive or before training,
 * and two identical 5-epoch runs (backend "auto": the measurement, the health probe and the
 * weight snapshots run) that end at the same count. Then the kernel preview's upload: a PNG made
 * here, scaled down to at most 256 pixels and convolved, and a damaged file that is refused
 * while the image shown so far stays.
 */
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { describeBrowser, LLVMPIPE_FLAGS, saveScreenshot, watchConsoleErrors } from './harness';
import { XOR_241 } from './lesson-docs';

const MINUTE = 60_000;

interface Memory {
  numTensors: number;
  numBytes: number;
}

const memory = (page: Page) => page.evaluate<Memory>('window.__layerboard.trainingMemory()');

/**
 * The memory once the page's requests have settled, which must be `want`: a debounced map or a
 * read-back still in flight holds its tensors for a moment, so the count is polled, then read
 * again a second later (a leak only ever adds).
 */
async function expectSettled(page: Page, want: Memory, what: string): Promise<Memory> {
  let now = await memory(page);
  for (let i = 0; i < 40 && now.numTensors !== want.numTensors; i++) {
    await page.waitForTimeout(250);
    now = await memory(page);
  }
  await page.waitForTimeout(1000);
  now = await memory(page);
  process.stdout.write(`views memory, ${what}: ${now.numTensors} tensors, ${now.numBytes} bytes (expected ${want.numTensors}, ${want.numBytes})\n`);
  expect(now).toEqual(want);
  return now;
}

async function openEditor(page: Page, app: { url(p?: string): string }): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(app.url('/'), { waitUntil: 'networkidle' });
  await page.locator('main[data-ready="true"]').waitFor();
  await page.waitForFunction('!!window.__layerboard');
}

const open = (page: Page, doc: unknown) => page.evaluate(`window.__layerboard.openDocument(${JSON.stringify(doc)})`);
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const deselect = (page: Page) => page.evaluate('window.__layerboard.store.getState().setSelection([])');
const pixels = (canvas: Locator) => canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());

/**
 * Starts a run in the training view and waits for its end and its test evaluation. A second
 * run starts from the first one's "done": the end that counts comes after a status of this run.
 */
async function train(page: Page): Promise<void> {
  await page.getByTestId('view-train').click();
  await page.evaluate(() => {
    const w = window as unknown as { __runSeen?: boolean };
    w.__runSeen = false;
    const watch = new MutationObserver(() => {
      const text = document.querySelector('[data-testid="train-status"]')?.textContent ?? '';
      if (text.includes('done')) return;
      w.__runSeen = true;
      watch.disconnect();
    });
    watch.observe(document.body, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('train-start').click();
  await page.waitForFunction(
    () => (window as unknown as { __runSeen?: boolean }).__runSeen === true && !!document.querySelector('[data-testid="train-status"]')?.textContent?.includes('done'),
    undefined,
    { timeout: 8 * MINUTE },
  );
  expect(await page.getByTestId('train-status').textContent()).toBe('done');
  await page.getByTestId('test-accuracy').filter({ hasText: '%' }).waitFor({ timeout: 2 * MINUTE });
}

async function tensorsPerEpoch(page: Page): Promise<number[]> {
  const log = await page.evaluate<{ epochs: { numTensors: number }[] }>('window.__layerboard.trainingLog()');
  return log.epochs.map((e) => e.numTensors);
}

/** A PNG file of `width`×`height` RGB pixels, written by hand: signature, IHDR, one IDAT, IEND. */
function png(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const rows = Buffer.alloc((1 + 3 * width) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(rgb(x, y), y * (1 + 3 * width) + 1 + 3 * x);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const XOR = { ...XOR_241, training: { ...XOR_241.training, epochs: 5 } };

describeBrowser('the views leave no tensors behind, and the kernel preview takes an upload', (app) => {
  it('feature maps of the MNIST convnet, untrained and after one epoch, end where they started', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await openEditor(page, app);
    await page.evaluate(`window.__layerboard.openTemplate('mnist-convnet')`);
    // One short epoch: 800 digits to train on, through the document's own training block.
    const doc = await page.evaluate<{ training?: object }>('window.__layerboard.store.getState().doc');
    await open(page, { ...doc, training: { ...doc.training, epochs: 1, validationSplit: 0.9 } });
    await page.evaluate(`window.__layerboard.setBackend('webgl')`);
    const start = await memory(page);
    process.stdout.write(`views memory, MNIST convnet at start: ${start.numTensors} tensors, ${start.numBytes} bytes\n`);

    const maps = page.getByTestId('feature-maps');
    const untrained = page.locator('[data-testid="feature-maps"][data-state="untrained"]');
    await node(page, 'conv2d_1').click();
    await maps.getByRole('button', { name: 'Show feature maps' }).click();
    await untrained.waitFor({ timeout: 2 * MINUTE });
    expect(await maps.locator('canvas').count()).toBe(32);
    const first = await pixels(maps.locator('canvas').first());
    await maps.getByTestId('feature-maps-sample').fill('5');
    await page.waitForFunction((b) => {
      const c = document.querySelector('[data-testid="feature-maps"] canvas') as HTMLCanvasElement | null;
      return !!c && c.toDataURL() !== b;
    }, first, { timeout: MINUTE });
    await node(page, 'max_pooling2d_1').click();
    await maps.getByText('[13, 13, 32]').waitFor({ timeout: MINUTE });
    await node(page, 'conv2d_2').click();
    await maps.getByText('[11, 11, 64]').waitFor({ timeout: MINUTE });
    await deselect(page);
    await maps.waitFor({ state: 'detached' });
    await expectSettled(page, start, 'MNIST convnet after its untrained feature maps');

    await train(page);
    const perEpoch = await tensorsPerEpoch(page);
    const m1 = await memory(page);
    process.stdout.write(`views memory, MNIST convnet after one epoch: ${m1.numTensors} tensors, ${m1.numBytes} bytes (epoch end: ${perEpoch.join(', ')})\n`);
    expect(perEpoch).toHaveLength(1);

    await page.getByTestId('view-design').click();
    const trained = page.locator('[data-testid="feature-maps"][data-state="trained"]');
    await node(page, 'conv2d_1').click();
    await trained.waitFor({ timeout: MINUTE });
    await node(page, 'max_pooling2d_2').click();
    await maps.getByText('[5, 5, 64]').waitFor({ timeout: MINUTE });
    await node(page, 'output').click();
    await maps.getByText('[10]').waitFor({ timeout: MINUTE });
    await maps.getByTestId('feature-maps-sample').fill('9');
    await maps.getByText('Output for sample 9').waitFor();
    await deselect(page);
    await maps.waitFor({ state: 'detached' });
    await expectSettled(page, m1, 'MNIST convnet after the trained feature maps');
    expect(errors).toEqual([]);
  }, 14 * MINUTE);

  it('the neuron view and two identical runs of a 2-4-1 network: no tensor added per view or per run', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await openEditor(page, app);
    await open(page, XOR);
    await page.evaluate(`window.__layerboard.setBackend('auto')`);
    await page.getByTestId('view-train').click();
    // The view's button loads TensorFlow.js and starts the host: before it there is no tensor at
    // all (a reading first would load it, and the view would then show the weights unasked).
    const start: Memory = { numTensors: 0, numBytes: 0 };
    await page.getByTestId('neuron-load').click();
    const view = page.getByTestId('neuron-view');
    await view.waitFor({ timeout: MINUTE });
    const opened = await memory(page);
    process.stdout.write(`views memory, XOR with the starting weights shown: ${opened.numTensors} tensors, ${opened.numBytes} bytes\n`);
    await view.getByTestId('neuron-weight').first().click();
    await page.getByTestId('weight-input').fill('1.5');
    await page.getByTestId('weight-input').press('Enter');
    await page.waitForFunction(() => (document.querySelector('[data-testid="neuron-weight"]') as HTMLElement | null)?.dataset.weight === '1.5');
    await page.getByTestId('step-index').fill('2');
    await page.getByTestId('step-forward').click();
    await page.getByTestId('step-loss').waitFor();
    await page.getByTestId('step-backward').click();
    await page.getByTestId('step-backward-table').first().waitFor();
    await page.getByTestId('view-design').click();
    await expectSettled(page, start, 'XOR after the neuron view (starting weights, a weight set, a step)');

    await train(page);
    const afterRun1 = await memory(page);
    const epochs1 = await tensorsPerEpoch(page);
    process.stdout.write(`views memory, XOR after run 1: ${afterRun1.numTensors} tensors, ${afterRun1.numBytes} bytes (epoch ends: ${epochs1.join(', ')})\n`);
    expect(epochs1).toHaveLength(5);

    // The trained model's weights in the view, one of them set: nothing stays behind either.
    await page.getByTestId('neuron-view').getByTestId('neuron-weight').last().click();
    await page.getByTestId('weight-input').fill('-0.75');
    await page.getByTestId('weight-input').press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="neuron-weight"]')].some((g) => (g as HTMLElement).dataset.weight === '-0.75'));
    await expectSettled(page, afterRun1, 'XOR after a weight set on the trained model');

    await train(page);
    const epochs2 = await tensorsPerEpoch(page);
    process.stdout.write(`views memory, XOR run 2 epoch ends: ${epochs2.join(', ')}\n`);
    expect(epochs2).toEqual(epochs1);
    await expectSettled(page, afterRun1, 'XOR after run 2 (expected: as after run 1)');
    expect(errors).toEqual([]);
  }, 10 * MINUTE);

  it('the kernel preview scales an uploaded PNG down and convolves it; a damaged file is refused', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await openEditor(page, app);
    await open(page, {
      format: 'layerboard.graph', version: 1, name: 'Filters',
      nodes: [
        { id: 'image', type: 'Input', params: { shape: [28, 28, 1] } },
        { id: 'edges', type: 'Conv2D', params: { filters: 1, kernelSize: 3, padding: 'same', kernelPreset: 'edgeVertical' } },
      ],
      edges: [{ source: 'image', target: 'edges' }],
    });
    await node(page, 'edges').click();
    const preview = page.getByTestId('kernel-preview');
    await preview.getByText('input 128×128').waitFor();
    const input = page.getByTestId('kernel-preview-input');
    const output = page.getByTestId('kernel-preview-output');
    const photoOut = await pixels(output);

    // 300×200: dark left half, light right half with a bright square; the vertical edges show.
    const file = png(300, 200, (x, y) => (x >= 200 && x < 260 && y >= 60 && y < 140 ? [255, 255, 255] : x < 150 ? [30, 30, 30] : [170, 170, 170]));
    await preview.getByLabel('Preview image').selectOption('upload');
    await page.getByTestId('kernel-preview-file').setInputFiles({ name: 'stripes.png', mimeType: 'image/png', buffer: file });
    await preview.getByText('input 256×171').waitFor();
    const size = (c: Locator) => c.evaluate((el) => [(el as HTMLCanvasElement).width, (el as HTMLCanvasElement).height]);
    expect(await size(input)).toEqual([256, 171]);
    expect(await size(output)).toEqual([256, 171]);
    const uploadIn = await pixels(input);
    const uploadOut = await pixels(output);
    expect(uploadOut).not.toBe(photoOut);
    // The vertical-edge kernel at the dark/light border (x 150 of 300 → column 128 of 256), and flat inside the dark half.
    const at = (c: Locator, x: number, y: number) => c.evaluate((el, [px, py]) => (el as HTMLCanvasElement).getContext('2d')!.getImageData(px, py, 1, 1).data[0], [x, y]);
    expect(await at(output, 128, 20)).toBeGreaterThan(200);
    expect(await at(output, 60, 20)).toBe(0);
    expect(await at(input, 60, 20)).toBeLessThan(40);
    await page.getByTestId('kernel-lesson').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'views-memory-upload');

    // Random bytes named .png: the message names the file; the upload shown so far stays.
    await page.getByTestId('kernel-preview-file').setInputFiles({ name: 'damaged.png', mimeType: 'image/png', buffer: randomBytes(2048) });
    const alert = preview.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('"damaged.png" is not an image this browser can read: choose a PNG, JPEG, GIF or WebP file.');
    expect(await size(input)).toEqual([256, 171]);
    expect(await pixels(input)).toBe(uploadIn);
    expect(await pixels(output)).toBe(uploadOut);
    expect(await preview.getAttribute('aria-busy')).toBe('false');
    await saveScreenshot(page, 'views-memory-upload-damaged');
    expect(errors).toEqual([]);
  }, 4 * MINUTE);
}, { flags: LLVMPIPE_FLAGS });
