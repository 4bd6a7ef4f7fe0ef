/**
 * Training benchmark in real Chromium on WebGL (the browser-test harness: production build,
 * `next start`, Debian's Chromium with Mesa llvmpipe). For the Keras MNIST convnet on the MNIST
 * asset (7,200 training digits after the 10% validation split, 2,000 test digits) it measures:
 *
 * - the product path: the editor's training panel at `/` with the Keras MNIST convnet template,
 *   3 epochs in its Web Worker: test
 *   accuracy, examples per second, wall time, and main-thread tasks over 50 and 100 ms from
 *   "Train" to "done" (the page must stay responsive);
 * - compiling costs nothing at run time: the compiled graph against the same architecture
 *   written by hand with tfjs, trained by the same loop in the same page, alternating, batches
 *   after the warm-up timed; and tfjs's own model.fit for reference (`window.__layerboard.bench()`,
 *   lib/training/bench-api.ts, on the editor's page);
 * - WebGL against tfjs's CPU backend, and llvmpipe against SwiftShader.
 *
 *   npx tsx bench/training.ts            (or: npm run bench -- training)
 *
 * LAYERBOARD_BASE_URL measures a running app; LAYERBOARD_SKIP_BUILD=1 reuses the .next build.
 */
import type { Browser, Page } from 'playwright-core';
import { benchApp, findChromium, launchChromium, LLVMPIPE_FLAGS } from '../__tests__/browser/harness';
import { templateById } from '../lib/templates';

const TEMPLATE = 'mnist-convnet';

const EPOCHS = 3;
const BATCH = 32;
const RATIO_ROUNDS = 3;
const RATIO_BATCHES = 45;
const SKIP = 5;
const CPU_BATCHES = 3;

export interface TrainingBenchResult {
  renderer: string;
  parallelCompile: boolean;
  panel: { accuracy: string; examplesPerSecond: number; seconds: number; longTasks50: number; longTasks100: number; longestTaskMs: number };
  compiled: number[];
  byHand: number[];
  ratio: number;
  fit: number;
  cpu: number;
  webglSteady: number;
  swiftshader: number;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The editor at `/`, ready (its autosave restored, the hook installed). */
async function openEditor(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
  await page.locator('main.lb-app[data-ready="true"]').waitFor();
  await page.waitForFunction('!!window.__layerboard');
}

async function panelRun(page: Page, baseUrl: string): Promise<TrainingBenchResult['panel']> {
  await openEditor(page, baseUrl);
  await page.evaluate(`window.__layerboard.openTemplate(${JSON.stringify(TEMPLATE)})`);
  await page.getByTestId('view-train').click();
  await page.getByTestId('train-epochs').fill(String(EPOCHS));
  await page.getByTestId('train-batch').fill(String(BATCH));
  await page.getByTestId('train-epochs').blur();
  await page.evaluate(`(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
  })()`);
  const t0 = Date.now();
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 60 * 60_000 });
  const seconds = (Date.now() - t0) / 1000;
  const state = await page.getByTestId('train-status').getAttribute('data-state');
  if (state !== 'completed') throw new Error(`the panel run ended with "${state}": ${await page.getByTestId('train-message').textContent()}`);
  if ((await page.getByTestId('backend').textContent()) !== 'webgl') throw new Error('the panel did not train on WebGL');
  const tasks = (await page.evaluate('window.__longTasks')) as number[];
  return {
    accuracy: (await page.getByTestId('test-accuracy').textContent()) ?? '',
    examplesPerSecond: Number(((await page.getByTestId('train-speed').textContent()) ?? '0').replace(/,/g, '')),
    seconds,
    longTasks50: tasks.length,
    longTasks100: tasks.filter((d) => d > 100).length,
    longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
  };
}

async function benchPage(browser: Browser, baseUrl: string): Promise<Page> {
  const page = await browser.newPage();
  await openEditor(page, baseUrl);
  return page;
}

/** Calls `window.__layerboard.bench()[fn](arg)` in the page (a string, so no bundler helpers leak in). */
function call<T>(page: Page, fn: string, arg: unknown = {}): Promise<T> {
  return page.evaluate(`window.__layerboard.bench().then((api) => api.${fn}(${JSON.stringify(arg)}))`) as Promise<T>;
}

export async function measureTraining(log: (line: string) => void = () => undefined): Promise<TrainingBenchResult> {
  if (!findChromium()) throw new Error('Chromium is not installed at /usr/bin/chromium (or CHROMIUM_PATH)');
  const app = await benchApp();
  const baseUrl = app.url;
  const browser = await launchChromium({ flags: LLVMPIPE_FLAGS }).catch(async (err) => {
    await app.stop();
    throw err;
  });
  try {
    log(`panel: ${EPOCHS} epochs of the MNIST convnet…`);
    const panel = await panelRun(await browser.newPage(), baseUrl);
    log(`  ${panel.accuracy} in ${panel.seconds.toFixed(0)} s`);

    const page = await benchPage(browser, baseUrl);
    const env = await call<{ backend: string; renderer: string; parallelCompile: boolean }>(page, 'environment');
    if (env.backend !== 'webgl') throw new Error(`the bench page runs on ${env.backend}, not webgl`);
    const compiled: number[] = [];
    const byHand: number[] = [];
    await call(page, 'throughput', { model: 'compiled', batches: SKIP + 2, skip: SKIP, batchSize: BATCH });
    for (let r = 0; r < RATIO_ROUNDS; r++) {
      const order: ('compiled' | 'by-hand')[] = r % 2 ? ['by-hand', 'compiled'] : ['compiled', 'by-hand'];
      for (const model of order) {
        const eps = await call<number>(page, 'throughput', { model, batches: RATIO_BATCHES, skip: SKIP, batchSize: BATCH });
        (model === 'compiled' ? compiled : byHand).push(eps);
        log(`  round ${r + 1}: ${model} ${eps.toFixed(1)} examples/s`);
      }
    }
    const ratios = compiled.map((c, i) => c / byHand[i]);
    const fit = await call<number>(page, 'fitThroughput', { batches: RATIO_BATCHES, batchSize: BATCH });
    log(`  model.fit ${fit.toFixed(1)} examples/s; CPU backend…`);
    const cpu = await call<number>(page, 'cpuThroughput', { batches: CPU_BATCHES + 1, skip: 1, batchSize: BATCH });
    log(`  cpu ${cpu.toFixed(2)} examples/s; SwiftShader…`);

    const swift = await launchChromium();
    let swiftshader = 0;
    try {
      const sp = await benchPage(swift, baseUrl);
      swiftshader = await call<number>(sp, 'throughput', { model: 'compiled', batches: 25, skip: SKIP, batchSize: BATCH });
    } finally {
      await swift.close();
    }
    return {
      renderer: env.renderer,
      parallelCompile: env.parallelCompile,
      panel,
      compiled,
      byHand,
      ratio: median(ratios),
      fit,
      cpu,
      webglSteady: median(compiled),
      swiftshader,
    };
  } finally {
    await browser.close();
    await app.stop();
  }
}

/** The figures as a Markdown table (the README's Benchmarks section holds a copy). */
export function formatTraining(r: TrainingBenchResult): string {
  const f = (v: number, d = 1) => v.toFixed(d);
  return [
    `Keras MNIST convnet (34,826 params), batch ${BATCH}, Adam ${(templateById(TEMPLATE)?.doc.training as { learningRate?: number } | undefined)?.learningRate}; Chromium WebGL 2 on ${r.renderer}.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| test accuracy after ${EPOCHS} epochs (panel, 2,000 held-out digits) | ${r.panel.accuracy} |`,
    `| panel: examples per second (worker, WebGL) | ${f(r.panel.examplesPerSecond)} |`,
    `| panel: wall time for ${EPOCHS} epochs, with validation and test | ${f(r.panel.seconds, 0)} s |`,
    `| panel: main-thread tasks > 50 ms / > 100 ms while training (longest) | ${r.panel.longTasks50} / ${r.panel.longTasks100} (${f(r.panel.longestTaskMs, 0)} ms) |`,
    `| compiled graph, examples/s (median of ${r.compiled.length}) | ${f(median(r.compiled))} (${r.compiled.map((v) => f(v)).join(', ')}) |`,
    `| hand-written tfjs model, examples/s | ${f(median(r.byHand))} (${r.byHand.map((v) => f(v)).join(', ')}) |`,
    `| **compiled ÷ hand-written** (median of per-round ratios) | **${f(r.ratio, 3)}** |`,
    `| tfjs model.fit on the hand-written model, examples/s | ${f(r.fit)} |`,
    `| CPU backend, examples/s | ${f(r.cpu, 2)} |`,
    `| **WebGL ÷ CPU** | **${f(r.webglSteady / r.cpu, 0)}×** |`,
    `| SwiftShader instead of llvmpipe, examples/s | ${f(r.swiftshader)} (llvmpipe ${f(r.webglSteady / r.swiftshader, 1)}× faster) |`,
  ].join('\n');
}

export async function runTrainingBench(): Promise<string> {
  return formatTraining(await measureTraining());
}

// Run directly (npx tsx bench/training.ts), not when bundled into bench/run.ts.
if (/bench[\/]training\.ts$/.test(process.argv[1] ?? '')) {
  measureTraining((line) => process.stderr.write(`${line}\n`)).then(
    (r) => process.stdout.write(`${formatTraining(r)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
