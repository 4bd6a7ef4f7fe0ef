// Browser test harness: production build + `next start` + Debian's Chromium via playwright-core.
//
// The "browser" Jest project's globalSetup (./global-setup.ts) builds the app once per run
// and starts one server; test files reach it through LAYERBOARD_BASE_URL. A file that runs
// without that setup starts its own server. Browser test files take a cross-process lock,
// so they run one at a time even when Jest uses several workers.
//
// Environment:
//   CHROMIUM_PATH                Chromium executable (default /usr/bin/chromium).
//   LAYERBOARD_REQUIRE_BROWSER=1  a missing Chromium fails the run instead of skipping.
//   LAYERBOARD_BASE_URL          test an already running server; no build, no server start.
//   LAYERBOARD_SKIP_BUILD=1      reuse the existing .next build instead of rebuilding.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';

/** The project root: the nearest folder up with next.config.js (this file may run bundled). */
export const ROOT = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'next.config.js'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
})();
export const RESULTS_DIR = path.join(ROOT, 'test-results');
const NEXT_BIN = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for Debian's Chromium on a headless, offline machine: real WebGL 2 via SwiftShader. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/**
 * CHROMIUM_FLAGS with WebGL on Mesa's llvmpipe (ANGLE over EGL) instead of SwiftShader: the
 * same real WebGL 2 in software, but it trains convnets about 2-3 times faster. Opt in with
 * `describeBrowser(name, fn, { flags: LLVMPIPE_FLAGS })` or `launchChromium({ flags })`.
 */
export const LLVMPIPE_FLAGS: readonly string[] = [
  ...CHROMIUM_FLAGS.filter((f) => !f.includes('swiftshader')),
  '--use-gl=angle',
  '--use-angle=gl-egl',
  '--ignore-gpu-blocklist',
];

// ---------------------------------------------------------------------------------------
// Chromium discovery

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

/** The Chromium executable, or null when it is not installed. */
export function findChromium(): string | null {
  const file = chromiumPath();
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

export function browserRequired(): boolean {
  return process.env.LAYERBOARD_REQUIRE_BROWSER === '1';
}

export function chromiumMissingMessage(): string {
  return `Browser tests skipped: Chromium not found at ${chromiumPath()} (install Debian's chromium)`;
}

// ---------------------------------------------------------------------------------------
// Build and server

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

/**
 * Builds the app as `npm run build` does: the MNIST asset (scripts/build-mnist.mjs), then
 * `next build`, in the project root. Output is kept quiet unless the build fails.
 */
export async function buildApp(): Promise<{ seconds: number }> {
  const started = Date.now();
  const output: string[] = [];
  const mnist = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-mnist.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (mnist.status !== 0) throw new Error(`scripts/build-mnist.mjs failed (exit ${mnist.status}):\n${mnist.stdout}${mnist.stderr}`);
  const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
    cwd: ROOT,
    env: childEnv({ NODE_ENV: 'production' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new Error(`next build failed (exit ${code}):\n${output.join('')}`);
  }
  return { seconds: (Date.now() - started) / 1000 };
}

export function hasBuild(): boolean {
  return fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppServer {
  url: string;
  port: number;
  pid: number;
  /** Stops the server: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when the URL answers HTTP at all. No keep-alive, so no socket outlives the check. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(true));
      res.once('error', () => resolve(true));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/**
 * The app a benchmark measures: the running one at LAYERBOARD_BASE_URL, else the production
 * build (rebuilt unless LAYERBOARD_SKIP_BUILD=1 and one exists) served on a free port; `stop`
 * stops only a server this started.
 */
export async function benchApp(): Promise<{ url: string; stop(): Promise<void> }> {
  const running = process.env.LAYERBOARD_BASE_URL?.replace(/\/+$/, '');
  if (running) return { url: running, stop: async () => undefined };
  if (!(process.env.LAYERBOARD_SKIP_BUILD === '1' && hasBuild())) await buildApp();
  const server = await startServer();
  return { url: server.url, stop: () => server.stop() };
}

/**
 * Starts the production server (`next start`) on a free port of 127.0.0.1 and waits until it
 * answers HTTP. Needs a build in .next (see buildApp). One process: `pid` is all there is to stop.
 */
export async function startServer(options: { port?: number; timeoutMs?: number } = {}): Promise<AppServer> {
  if (!hasBuild()) {
    throw new Error(`No production build in ${path.join(ROOT, '.next')}; run buildApp() or "npx next build" first.`);
  }
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)],
    { cwd: ROOT, env: childEnv({ NODE_ENV: 'production' }), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited = child.exitCode !== null;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  // Never leave a server behind if the test process itself goes away.
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const grace = setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, 10_000);
    await exitPromise;
    clearTimeout(grace);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(`next start exited before answering on ${url}:\n${log.join('')}`);
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer on ${url} within ${timeoutMs} ms:\n${log.join('')}`);
    }
    await sleep(200);
  }
  if (child.pid === undefined) throw new Error('next start has no pid');
  return { url, port, pid: child.pid, stop };
}

// ---------------------------------------------------------------------------------------
// Chromium

/**
 * Launches Chromium headless with the flags above. Playwright gives every launch a fresh
 * --user-data-dir in the OS temp dir and removes it on close (it rejects a --user-data-dir
 * flag for launch(); use launchPersistentContext for a profile you keep).
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(chromiumMissingMessage());
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...(options.flags ?? CHROMIUM_FLAGS), ...(options.args ?? [])],
  });
}

export interface LaunchOptions {
  /** Extra flags after the base flags. */
  args?: string[];
  /** Base flags instead of CHROMIUM_FLAGS, e.g. LLVMPIPE_FLAGS. */
  flags?: readonly string[];
}

/**
 * Waits until a run of `epochs` epochs is past its first epoch. An epoch of a small network
 * takes a fraction of a second, so the status can pass "epoch 2" between two looks: any epoch
 * from the second on will do.
 */
export async function waitPastFirstEpoch(page: Page, epochs: number, timeout = 2 * 60_000): Promise<void> {
  await page.getByTestId('train-status').filter({ hasText: new RegExp(`epoch (?:[2-9]|\\d{2,}) of ${epochs}\\b`) }).waitFor({ timeout });
}

/** Chooses Share ▾ → Export tfjs model.json and saves the `count` files it downloads. */
export async function exportFromShareMenu(page: Page, dir: string, count: number): Promise<string[]> {
  const files: string[] = [];
  const saved = new Promise<void>((resolve) => {
    const onDownload = async (d: Download) => {
      const file = path.join(dir, d.suggestedFilename());
      await d.saveAs(file);
      files.push(file);
      if (files.length === count) {
        page.off('download', onDownload);
        resolve();
      }
    };
    page.on('download', onDownload);
  });
  await page.getByTestId('share-button').click();
  await page.getByTestId('share-export-tfjs').click();
  await saved;
  return files.sort();
}

/** Collects console errors and uncaught page errors; check the array at the end of a test. */
export function watchConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      errors.push(`console.error: ${msg.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack ?? err.message}`));
  return errors;
}

/** Saves a screenshot to test-results/<name>.png (the folder is gitignored); returns the path. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const safe = name.replace(/\.png$/i, '').replace(/[^a-zA-Z0-9._-]+/g, '-');
  const file = path.join(RESULTS_DIR, `${safe}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}

// ---------------------------------------------------------------------------------------
// One browser test file at a time

const LOCK_DIR = path.join(
  os.tmpdir(),
  `layerboard-browser-tests-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`,
);

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits for the cross-process browser-test lock; returns a release function. */
export async function acquireBrowserLock(timeoutMs = 15 * 60_000): Promise<() => void> {
  const ownerFile = path.join(LOCK_DIR, 'pid');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(ownerFile, String(process.pid));
      return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(ownerFile, 'utf8'));
    } catch {
      // the owner is between mkdir and writeFile, or just released
    }
    // A lock left by a dead process (or by this one: files run in band release in afterAll,
    // so a leftover means an earlier file was interrupted) is stale.
    if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || !pidAlive(owner))) {
      fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the browser test lock ${LOCK_DIR}`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------
// describeBrowser

export interface BrowserTestContext {
  /** Base URL of the app under test, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly baseUrl: string;
  readonly browser: Browser;
  /** Absolute URL for a path of the app. */
  url(pathname?: string): string;
  /** A page in a fresh browser context (own storage), closed after the file's tests. */
  newPage(): Promise<Page>;
}

let skipNoticePrinted = false;

/**
 * A `describe` block with a running app and Chromium. Skips with one clear line when Chromium
 * is missing, unless LAYERBOARD_REQUIRE_BROWSER=1, where a missing Chromium fails.
 */
export function describeBrowser(name: string, fn: (ctx: BrowserTestContext) => void, launch: LaunchOptions = {}): void {
  if (!findChromium()) {
    if (browserRequired()) {
      describe(name, () => {
        it('needs Chromium (LAYERBOARD_REQUIRE_BROWSER=1)', () => {
          throw new Error(
            `Chromium not found at ${chromiumPath()} and LAYERBOARD_REQUIRE_BROWSER=1: ` +
              `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
          );
        });
      });
      return;
    }
    if (!skipNoticePrinted && process.env.LAYERBOARD_SKIP_NOTICE_PRINTED !== '1') {
      skipNoticePrinted = true;
      process.stdout.write(`${chromiumMissingMessage()}\n`);
    }
    describe.skip(`${name} [${chromiumMissingMessage()}]`, () => {
      it('needs Chromium', () => undefined);
    });
    return;
  }

  let baseUrl = '';
  let browser: Browser | undefined;
  let ownServer: AppServer | undefined;
  let release: (() => void) | undefined;
  const contexts: BrowserContext[] = [];

  const ctx: BrowserTestContext = {
    get baseUrl() {
      if (!baseUrl) throw new Error('baseUrl is only available inside tests (after beforeAll)');
      return baseUrl;
    },
    get browser() {
      if (!browser) throw new Error('browser is only available inside tests (after beforeAll)');
      return browser;
    },
    url(pathname = '/') {
      return new URL(pathname, `${ctx.baseUrl}/`).toString();
    },
    async newPage() {
      const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      return context.newPage();
    },
  };

  describe(name, () => {
    // Jest ignores testTimeout in a project's config; browser steps get two minutes each.
    jest.setTimeout(120_000);
    beforeAll(async () => {
      release = await acquireBrowserLock();
      const shared = process.env.LAYERBOARD_BASE_URL;
      if (shared) {
        baseUrl = shared.replace(/\/+$/, '');
      } else {
        if (!hasBuild() || process.env.LAYERBOARD_SKIP_BUILD !== '1') await buildApp();
        ownServer = await startServer();
        baseUrl = ownServer.url;
      }
      browser = await launchChromium(launch);
    }, 20 * 60_000);

    afterAll(async () => {
      try {
        for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
        await browser?.close();
        await ownServer?.stop();
      } finally {
        release?.();
      }
    }, 60_000);

    fn(ctx);
  });
}

// ---------------------------------------------------------------------------------------
// The editor's training section

export interface OpenTrainingOptions {
  /** A template id from lib/templates (the New menu's), opened as the graph. */
  template?: string;
  /** A graph document to open instead (window.__layerboard.openDocument). */
  doc?: unknown;
  /** The run bar's Backend choice for the next run. */
  backend?: 'auto' | 'webgl' | 'cpu';
}

/**
 * Opens the editor at `/` with a graph (through `window.__layerboard`) and scrolls to its
 * training section: the panel is ready for its test ids (`train-start`, `dataset-select`, ...).
 */
export async function openTraining(page: Page, url: string, options: OpenTrainingOptions = {}): Promise<void> {
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('main[data-ready="true"]').waitFor();
  await page.waitForFunction('!!window.__layerboard');
  if (options.template) await page.evaluate(`window.__layerboard.openTemplate(${JSON.stringify(options.template)})`);
  else if (options.doc) await page.evaluate(`window.__layerboard.openDocument(${JSON.stringify(options.doc)})`);
  await page.getByTestId('view-train').click();
  await page.getByTestId('train-start').waitFor({ timeout: 60_000 });
  if (options.backend) await page.evaluate(`window.__layerboard.setBackend(${JSON.stringify(options.backend)})`);
}
