// globalSetup of the "browser" Jest project: build once, start one production server, and
// hand its URL to the test files through LAYERBOARD_BASE_URL (workers inherit the env).
import {
  browserRequired,
  buildApp,
  chromiumMissingMessage,
  findChromium,
  hasBuild,
  startServer,
  type AppServer,
} from './harness';

declare global {
  var __LAYERBOARD_SERVER__: AppServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (!findChromium()) {
    // describeBrowser reports it: a skip, or a failure under LAYERBOARD_REQUIRE_BROWSER=1.
    if (!browserRequired()) {
      process.stdout.write(`\n${chromiumMissingMessage()}\n`);
      process.env.LAYERBOARD_SKIP_NOTICE_PRINTED = '1';
    }
    return;
  }
  if (process.env.LAYERBOARD_BASE_URL) {
    process.stdout.write(`\nBrowser tests use the running app at ${process.env.LAYERBOARD_BASE_URL}\n`);
    return;
  }
  if (process.env.LAYERBOARD_SKIP_BUILD === '1' && hasBuild()) {
    process.stdout.write('\nBrowser tests reuse the existing .next build (LAYERBOARD_SKIP_BUILD=1)\n');
  } else {
    process.stdout.write('\nBuilding the app for browser tests (next build)...\n');
    const { seconds } = await buildApp();
    process.stdout.write(`Built in ${seconds.toFixed(1)} s\n`);
  }
  const server = await startServer();
  globalThis.__LAYERBOARD_SERVER__ = server;
  process.env.LAYERBOARD_BASE_URL = server.url;
  process.stdout.write(`Serving the production build at ${server.url} (pid ${server.pid})\n`);
}
