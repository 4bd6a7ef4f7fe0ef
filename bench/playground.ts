/**
 * Playground speed in real Chromium (the browser-test harness: production build, `next
 * start`, Debian's Chromium with Mesa llvmpipe): the editor's training panel trains a 2-8-8-1
 * tanh network on the Playground circle (500 points, half of them for training, noise 0,
 * batch 10, SGD 0.03: TensorFlow Playground's defaults), with the decision boundary redrawn
 * after every epoch, once per backend choice (auto, CPU, WebGL), side by side in one run.
 * Epochs per second are counted on the page, from the epoch logs as the panel receives them
 * (the first epoch, with the measuring and shader compilation before it, not counted).
 *
 *   npm run bench -- playground
 *
 * LAYERBOARD_BASE_URL measures a running app; LAYERBOARD_SKIP_BUILD=1 reuses the .next build.
 * LAYERBOARD_BEFORE_URL also measures another running app (e.g. a build of an earlier commit),
 * in the same browser, each backend choice on both apps in turn, so that a change is measured
 * before and after under the same load.
 */
import type { Page } from 'playwright-core';
import { benchApp, findChromium, launchChromium, LLVMPIPE_FLAGS } from '../__tests__/browser/harness';

const EPOCHS = 60;
/** The circle's training examples: half of the 500 points. */
const TRAIN_EXAMPLES = 250;
export const GOAL_EPOCHS_PER_SECOND = 30;

/** The benchmark's document: Playground's circle with a 2-8-8-1 tanh network. */
export const CIRCLE_2881 = {
  format: 'layerboard.graph',
  version: 1,
  name: 'Circle 2-8-8-1',
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [2] } },
    { id: 'h1', type: 'Dense', params: { units: 8, activation: 'tanh' } },
    { id: 'h2', type: 'Dense', params: { units: 8, activation: 'tanh' } },
    { id: 'out', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ],
  edges: [
    { source: 'in', target: 'h1' },
    { source: 'h1', target: 'h2' },
    { source: 'h2', target: 'out' },
  ],
  training: { dataset: 'circle', samples: 500, noise: 0, trainRatio: 0.5, optimizer: 'sgd', learningRate: 0.03, batchSize: 10, epochs: EPOCHS, validationSplit: 0 },
};

type Choice = 'auto' | 'cpu' | 'webgl';

export interface PlaygroundRow {
  /** Which app: "before" (LAYERBOARD_BEFORE_URL) or "after" (this one); "" without a comparison. */
  build: '' | 'before' | 'after';
  choice: Choice;
  /** The backend the run trained on (the badge). */
  backend: string;
  epochsPerSecond: number;
  /**
   * The worker's own rate of the training steps alone (the run bar's examples/s, over the
   * steps' time), in epochs per second: what the epoch rate would be without the boundary,
   * the read-backs, the messages and the page.
   */
  stepsEpochsPerSecond: number;
  /** The CPU vs GPU card's figures for this run, examples/s. */
  measured: Record<string, number>;
  accuracy: string;
}

async function runOnce(page: Page, choice: Choice, build: PlaygroundRow['build']): Promise<PlaygroundRow> {
  await page.evaluate(`window.__layerboard.setBackend(${JSON.stringify(choice)})`);
  await page.evaluate(`(() => {
    window.__epochs = [];
    window.__stopTick = false;
    let last = 0;
    const tick = async () => {
      const log = await window.__layerboard.trainingLog();
      if (log.epochs.length !== last) { last = log.epochs.length; window.__epochs.push([last, performance.now()]); }
      if (!window.__stopTick) setTimeout(tick, 5);
    };
    void tick();
  })()`);
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-status').filter({ hasText: 'done' }).waitFor({ timeout: 10 * 60_000 });
  const state = await page.getByTestId('train-status').getAttribute('data-state');
  if (state !== 'completed') throw new Error(`the ${choice} run ended with "${state}": ${await page.getByTestId('train-message').textContent()}`);
  await page.evaluate('window.__stopTick = true');
  // The panel still shows the previous run's epochs until this one starts: count from the reset.
  const all = (await page.evaluate('window.__epochs')) as [number, number][];
  const reset = all.findLastIndex((m, i) => i > 0 && m[0] < all[i - 1][0]);
  const marks = all.slice(Math.max(0, reset)).filter((m) => m[0] > 0);
  const first = marks[0];
  const last = marks[marks.length - 1];
  const epochsPerSecond = ((last[0] - first[0]) * 1000) / (last[1] - first[1]);
  const rows = page.getByTestId('backend-speeds').locator('tr[data-value]');
  const measured: Record<string, number> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    measured[((await row.getAttribute('data-testid')) ?? '').replace('backend-speed-', '')] = Number(await row.getAttribute('data-value'));
  }
  const speed = Number(((await page.getByTestId('train-speed').textContent()) ?? '').replace(/,/g, ''));
  return {
    build,
    choice,
    stepsEpochsPerSecond: speed / TRAIN_EXAMPLES,
    backend: (await page.getByTestId('backend').getAttribute('data-backend')) ?? '',
    epochsPerSecond,
    measured,
    accuracy: (await page.getByTestId('test-accuracy').textContent()) ?? '',
  };
}

export async function measurePlayground(log: (line: string) => void = () => undefined): Promise<PlaygroundRow[]> {
  if (!findChromium()) throw new Error('Chromium is not installed at /usr/bin/chromium (or CHROMIUM_PATH)');
  const app = await benchApp();
  const baseUrl = app.url;
  const browser = await launchChromium({ flags: LLVMPIPE_FLAGS }).catch(async (err) => {
    await app.stop();
    throw err;
  });
  try {
    const before = process.env.LAYERBOARD_BEFORE_URL?.replace(/\/+$/, '');
    const apps: [PlaygroundRow['build'], string][] = before ? [['before', before], ['after', baseUrl]] : [['', baseUrl]];
    const pages: Page[] = [];
    for (const [, url] of apps) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${url}/`, { waitUntil: 'networkidle' });
      await page.locator('main.lb-app[data-ready="true"]').waitFor();
      await page.waitForFunction('!!window.__layerboard');
      await page.evaluate(`window.__layerboard.openDocument(${JSON.stringify(CIRCLE_2881)})`);
      await page.getByTestId('view-train').click();
      await page.getByTestId('train-start').waitFor();
      pages.push(page);
    }
    const rows: PlaygroundRow[] = [];
    for (const choice of ['auto', 'cpu', 'webgl'] as Choice[]) {
      for (const [i, [build]] of apps.entries()) {
        log(`circle 2-8-8-1, ${EPOCHS} epochs, backend ${choice}${build ? ` (${build})` : ''}…`);
        const row = await runOnce(pages[i], choice, build);
        log(`  ${row.backend}: ${row.epochsPerSecond.toFixed(1)} epochs/s`);
        rows.push(row);
      }
    }
    return rows;
  } finally {
    await browser.close();
    await app.stop();
  }
}

/** The figures as a Markdown table (the README's "Playground speed" table holds a copy). */
export function formatPlayground(rows: PlaygroundRow[]): string {
  const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const compared = rows.some((r) => r.build);
  const measuredLine = (r: PlaygroundRow) =>
    `auto's measurement before its run${r.build ? ` (${r.build})` : ''}: CPU ${f(r.measured.cpu ?? NaN, 0)} examples/s, WebGL ${f(r.measured.webgl ?? NaN, 0)} examples/s.`;
  return [
    `Playground circle (500 points, 250 for training, noise 0), 2-8-8-1 tanh network, batch 10, SGD 0.03, ${EPOCHS} epochs, decision boundary (48×48) redrawn after every epoch; editor panel, training worker, Chromium on llvmpipe. Goal: ≥ ${GOAL_EPOCHS_PER_SECOND} epochs/s.`,
    '',
    `| ${compared ? 'app | ' : ''}Backend choice | trained on | epochs/s | steps alone, epochs/s | test accuracy |`,
    `| ${compared ? '--- | ' : ''}--- | --- | --- | --- | --- |`,
    ...rows.map((r) => `| ${compared ? `${r.build} | ` : ''}${r.choice} | ${r.backend} | **${f(r.epochsPerSecond)}** | ${f(r.stepsEpochsPerSecond)} | ${r.accuracy} |`),
    '',
    ...rows.filter((r) => r.choice === 'auto').map(measuredLine),
  ].join('\n');
}

export async function runPlaygroundBench(): Promise<string> {
  return formatPlayground(await measurePlayground((line) => process.stderr.write(`${line}\n`)));
}
