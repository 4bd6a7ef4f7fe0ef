/**
 * ONNX in the editor, in a real browser: Share → Export ONNX model downloads a file that imports
 * back with the graph's counts; that file dropped on the canvas opens its design; torchvision's
 * resnet18 opened from the Share menu's file picker shows every layer with its count (when torch
 * is installed); a damaged .onnx gives a message and keeps the graph.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { compile, type GraphDocument } from '@/graph-compiler';
import { fromOnnx } from '@/graph-compiler/interop/onnx-import';
import { onnxMissing, PYTHON } from '../datasets/python-reference';
import { describeBrowser, saveScreenshot, watchConsoleErrors } from './harness';

const fixture = (name: string): GraphDocument =>
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8'));

type Hooked = Window & { __layerboard: { store: { getState(): { doc: GraphDocument } }; openDocument(d: GraphDocument): Promise<void> } };

const currentDoc = (page: Page): Promise<GraphDocument> => page.evaluate(() => (window as unknown as Hooked).__layerboard.store.getState().doc);

async function shows(page: Page, name: string): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as Hooked).__layerboard?.store.getState().doc.name === n, name, { timeout: 30_000 });
}

async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(async ([fileName, b64]) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], fileName, { type: 'application/octet-stream' }));
    const zone = document.querySelector('[data-testid="file-drop-zone"]')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [name, bytes.toString('base64')] as const);
}

describeBrowser('ONNX export and import in the editor', (app) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'layerboard-onnx-browser-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Share → Export ONNX model downloads the graph with its initial weights; dropping the file opens it', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url('/'));
    await page.locator('main[data-ready="true"]').waitFor();
    const convnet = fixture('mnist-convnet');
    await page.evaluate((d) => (window as unknown as Hooked).__layerboard.openDocument(d), convnet);
    await shows(page, convnet.name!);

    await page.getByTestId('share-button').click();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('share-export-onnx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.onnx$/);
    const bytes = readFileSync(await download.path());
    await page.getByTestId('toasts').getByText(/with its initial weights; images are NCHW/).waitFor();
    const imported = fromOnnx(new Uint8Array(bytes));
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([]);
    expect(compile(imported.doc).totals.totalParams).toBe(34_826);
    expect(imported.fileWeights).toBe(34_826);

    await page.evaluate((d) => (window as unknown as Hooked).__layerboard.openDocument(d), { ...fixture('lenet5') });
    await shows(page, 'LeNet-5');
    await dropFile(page, 'convnet.onnx', bytes);
    await shows(page, convnet.name!);
    await page.getByTestId('toasts').getByText(/Opened .* from the model convnet\.onnx/).waitFor();
    const opened = await currentDoc(page);
    expect(compile(opened).totals.totalParams).toBe(34_826);
    expect(opened.nodes.every((n) => n.position)).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a damaged .onnx gives a message and keeps the graph', async () => {
    const page = await app.newPage();
    await page.goto(app.url('/'));
    await page.locator('main[data-ready="true"]').waitFor();
    await page.evaluate((d) => (window as unknown as Hooked).__layerboard.openDocument(d), fixture('lenet5'));
    await shows(page, 'LeNet-5');
    const before = await currentDoc(page);
    await dropFile(page, 'broken.onnx', Buffer.from([0x08, 0x07, 0x12, 0xff, 0xff, 0xff, 0x7f, 0x01]));
    const alert = page.getByTestId('toasts').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/broken\.onnx: not JSON, and not a readable ONNX model: the data is cut short or damaged.*Your graph was not changed\./);
    expect(await currentDoc(page)).toEqual(before);
  });

  const torch = onnxMissing(['torch', 'torchvision']);
  (torch ? it.skip : it)('torchvision resnet18 opened from the Share menu shows every layer with its shape and count', async () => {
    const file = path.join(dir, 'resnet18.onnx');
    const made = spawnSync(PYTHON, ['-c', `import sys, torch, torchvision
torch.onnx.export(torchvision.models.resnet18(weights=None).eval(), torch.rand(1, 3, 224, 224), sys.argv[1], opset_version=13)`, file], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(app.url('/'));
    await page.locator('main[data-ready="true"]').waitFor();
    await page.getByTestId('share-file-input').setInputFiles(file);
    await page.getByTestId('toasts').getByText(/from the model resnet18\.onnx/).waitFor({ timeout: 60_000 });
    const doc = await currentDoc(page);
    const result = compile(doc);
    expect(result.totals.totalParams).toBe(11_680_872);
    expect(result.outputs.map((id) => result.nodes[id].outputShape)).toEqual([[1000]]);
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(doc.nodes.length);
    await saveScreenshot(page, 'onnx-resnet18');
    expect(errors).toEqual([]);
  }, 180_000);
});
