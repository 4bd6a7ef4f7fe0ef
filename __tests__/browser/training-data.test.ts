/**
 * Your own data in the browser: a CSV file and a folder of images, uploaded through the file
 * inputs of the editor's training section at `/`, trained on WebGL, evaluated on their
 * held-out rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { describeBrowser, LLVMPIPE_FLAGS, openTraining, saveScreenshot, watchConsoleErrors } from './harness';

/** Two classes of 28×28 greyscale images: Flatten, one small hidden layer, softmax over two. */
const twoClassImages = {
  format: 'layerboard.graph',
  version: 1,
  name: 'Two-class image classifier',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [28, 28, 1] } },
    { id: 'flatten', type: 'Flatten', params: {} },
    { id: 'hidden', type: 'Dense', params: { units: 16, activation: 'relu' } },
    { id: 'output', type: 'Dense', params: { units: 2, activation: 'softmax' } },
  ],
  edges: [
    { source: 'input', target: 'flatten' },
    { source: 'flatten', target: 'hidden' },
    { source: 'hidden', target: 'output' },
  ],
  training: { dataset: 'images', optimizer: 'adam', learningRate: 0.01, batchSize: 8, epochs: 10, validationSplit: 0 },
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A greyscale PNG of `size`×`size` pixels from a pixel function (0-255). */
function png(size: number, pixel: (x: number, y: number) => number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc(size * (size + 1));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rows[y * (size + 1) + 1 + x] = pixel(x, y);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function trainUntilDone(page: Page): Promise<string> {
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 3 * 60_000 });
  return (await page.getByTestId('train-status').getAttribute('data-state')) ?? '';
}

describeBrowser(
  'training on uploaded data',
  (app) => {
    let dir = '';
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerboard-data-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('trains on a CSV file with a chosen label column', async () => {
      // Two features; the class is which side of the line x + y = 0 a point lies on.
      const lines = ['x,y,side'];
      for (let i = 0; i < 200; i++) {
        const x = Math.sin(i * 12.9898) * 5;
        const y = Math.cos(i * 78.233) * 5;
        lines.push(`${x.toFixed(3)},${y.toFixed(3)},${x + y > 0 ? 'above' : 'below'}`);
      }
      const file = path.join(dir, 'sides.csv');
      fs.writeFileSync(file, lines.join('\n'));
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      // The Spiral MLP template reads two features, as many as the file has.
      await openTraining(page, app.url('/'), { template: 'spiral-mlp', backend: 'webgl' });
      await page.getByTestId('dataset-select').selectOption('csv');
      await page.getByTestId('csv-file').setInputFiles(file);
      await page.getByText(/"sides.csv": 200 rows, 2 features \(standardised\), label "side" with 2 classes/).waitFor();
      expect(await page.getByTestId('csv-label').inputValue()).toBe('side');
      await page.getByTestId('train-epochs').fill('20');
      expect(await trainUntilDone(page)).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      expect(Number((await page.getByTestId('test-accuracy').textContent())!.replace('%', ''))).toBeGreaterThanOrEqual(90);
      expect(await page.getByTestId('prediction-grid').locator('tbody tr').count()).toBe(10);
      expect(errors).toEqual([]);
    }, 4 * 60_000);

    it('trains on a folder of images, one sub-folder per class, resized to the Input', async () => {
      const root = path.join(dir, 'shapes');
      for (const cls of ['bar', 'ring']) fs.mkdirSync(path.join(root, cls), { recursive: true });
      for (let i = 0; i < 16; i++) {
        const size = 40 + (i % 3) * 12;
        const c = size / 2 + (i % 5) - 2;
        fs.writeFileSync(path.join(root, 'bar', `${i}.png`), png(size, (x) => (Math.abs(x - c) < size / 8 ? 255 : 0)));
        fs.writeFileSync(path.join(root, 'ring', `${i}.png`), png(size, (x, y) => (Math.abs(Math.hypot(x - c, y - c) - size / 3) < size / 12 ? 255 : 0)));
      }
      const page = await app.newPage();
      const errors = watchConsoleErrors(page);
      await openTraining(page, app.url('/'), { doc: twoClassImages, backend: 'webgl' });
      expect(await page.getByTestId('dataset-select').inputValue()).toBe('images');
      await page.getByTestId('images-folder').setInputFiles(root);
      await page.getByText(/32 files in shapes\/: 2 classes \(bar, ring\)/).waitFor();
      expect(await trainUntilDone(page)).toBe('completed');
      expect(await page.getByTestId('backend').textContent()).toBe('webgl');
      expect(await page.getByTestId('test-accuracy').textContent()).toBe('100.0%');
      // The test split is 20% of each class, chosen with the seed: round(16 × 0.2) = 3 per class.
      const tiles = page.getByTestId('prediction-grid').locator('figure');
      expect(await tiles.count()).toBe(6);
      expect(await tiles.first().locator('canvas').getAttribute('width')).toBe('28');
      await saveScreenshot(page, 'training-images');
      expect(errors).toEqual([]);
    }, 4 * 60_000);
  },
  { flags: LLVMPIPE_FLAGS },
);
