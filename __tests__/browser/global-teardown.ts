// globalTeardown of the "browser" Jest project: stop the server started in global-setup.ts.
import type { AppServer } from './harness';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __LAYERBOARD_SERVER__?: AppServer }).__LAYERBOARD_SERVER__;
  if (!server) return;
  globalThis.__LAYERBOARD_SERVER__ = undefined;
  delete process.env.LAYERBOARD_BASE_URL;
  await server.stop();
}
