/**
 * PyTorch from the editor, in a real browser: Share → Export PyTorch downloads the script and its
 * `.npz` beside it; torch runs the script with those weights. Before training they are the
 * initial weights; after the spiral is trained in the browser they are the trained ones, and
 * torch's test accuracy with them is the one the browser shows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { PYTHON, torchMissing } from '../datasets/python-reference';
import { describeBrowser, LLVMPIPE_FLAGS, openTraining, saveScreenshot, watchConsoleErrors } from './harness';

const MINUTE = 60_000;

/** Chooses Share → Export PyTorch and saves its two downloads (script, weights) in `dir`. */
async function exportPytorch(page: Page, dir: string, screenshot?: string): Promise<{ script: string; weights: string }> {
  const downloads: Download[] = [];
  const collect = (d: Download) => downloads.push(d);
  page.on('download', collect);
  await page.getByTestId('share-button').click();
  if (screenshot) await saveScreenshot(page, screenshot);
  await page.getByTestId('share-export-pytorch').click();
  for (let i = 0; i < 600 && downloads.length < 2; i++) await page.waitForTimeout(100);
  page.off('download', collect);
  expect(downloads.map((d) => d.suggestedFilename())).toEqual(['spiral-mlp.py', 'spiral-mlp.npz']);
  const [script, weights] = downloads.map((d) => path.join(dir, d.suggestedFilename()));
  writeFileSync(script, readFileSync(await downloads[0].path()));
  writeFileSync(weights, readFileSync(await downloads[1].path()));
  return { script, weights };
}

/** torch's test figures for the script with the weights, without training. */
function evaluate(script: string, weights: string): { test_loss: number; test_accuracy: number } {
  const r = spawnSync(PYTHON, [script, '--weights', weights, '--epochs', '0'], { cwd: path.dirname(script), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the script failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

describeBrowser('PyTorch export from the editor', (app) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'layerboard-pytorch-browser-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const missing = torchMissing();
  (missing ? it.skip : it)('exports the script with the initial weights, then with the weights trained in the browser', async () => {
    const page = await app.newPage();
    const errors = watchConsoleErrors(page);
    await openTraining(page, app.url('/'), { template: 'spiral-mlp' });

    const initial = await exportPytorch(page, dir, 'share-menu-pytorch');
    await page.getByTestId('toasts').getByText(/Exported spiral-mlp\.py and the initial weights in spiral-mlp\.npz/).waitFor();
    expect(evaluate(initial.script, initial.weights).test_accuracy).toBeLessThan(0.8);

    const epochs = page.getByTestId('train-epochs');
    await epochs.fill('40');
    await epochs.blur();
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 5 * MINUTE });
    const shown = Number(/([\d.]+)%/.exec((await page.getByTestId('test-accuracy').textContent()) ?? '')?.[1]);
    expect(shown).toBeGreaterThan(85);

    const trained = await exportPytorch(page, dir);
    await page.getByTestId('toasts').getByText(/Exported spiral-mlp\.py and the trained weights in spiral-mlp\.npz/).waitFor();
    const figures = evaluate(trained.script, trained.weights);
    process.stdout.write(`Spiral MLP trained in the browser: ${shown}% there, ${(figures.test_accuracy * 100).toFixed(1)}% in torch with the exported weights\n`);
    expect(Math.abs(figures.test_accuracy * 100 - shown)).toBeLessThanOrEqual(0.5);
    expect(errors).toEqual([]);
  }, 10 * MINUTE);
}, { flags: LLVMPIPE_FLAGS });
