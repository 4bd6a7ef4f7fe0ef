// Jest configuration, built with next/jest so tests compile with SWC (no Babel, no ts-node).
//
// Two projects:
//   unit     __tests__/**/*.test.ts(x), except __tests__/browser/. Node environment by
//            default; a component test opts into jsdom with a `@jest-environment jsdom`
//            docblock at the top of the file.
//   browser  __tests__/browser/**/*.test.ts: real Chromium against the production build.
//            Its globalSetup builds the app once and starts one `next start` server;
//            the harness runs browser test files one at a time (a cross-process lock),
//            so they are safe whatever the worker count.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nextJest from 'next/jest.js';

const rootDir = path.dirname(fileURLToPath(import.meta.url));
const createJestConfig = nextJest({ dir: rootDir });

const shared = {
  rootDir,
  moduleNameMapper: {
    '^@/(.*)$': '<rootDir>/$1',
  },
};

const unit = await createJestConfig({
  ...shared,
  displayName: 'unit',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts', '<rootDir>/__tests__/**/*.test.tsx'],
  testPathIgnorePatterns: ['<rootDir>/__tests__/browser/'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
})();

const browser = await createJestConfig({
  ...shared,
  displayName: 'browser',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/browser/**/*.test.ts'],
  globalSetup: '<rootDir>/__tests__/browser/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/browser/global-teardown.ts',
  slowTestThreshold: 60,
})();

/** @type {import('jest').Config} */
const config = {
  projects: [unit, browser],
};

export default config;
