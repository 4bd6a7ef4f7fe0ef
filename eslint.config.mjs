// ESLint 9 flat config: Next's core-web-vitals rules (React, hooks, accessibility, Next) and
// its TypeScript rules (typescript-eslint recommended).
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', '.bench/**', 'node_modules/**', 'test-results/**', 'public/**', 'next-env.d.ts']),
]);
