'use client';
/**
 * The page `npm run bench` drives: it loads the training library and exposes its benchmark
 * functions as `window.layerboardBench` (see lib/training/bench-api.ts). TensorFlow.js loads
 * when the first measurement starts.
 */
import { useEffect, useState } from 'react';

export function BenchHost() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let alive = true;
    void import('@/lib/training/bench-api').then((api) => {
      if (!alive) return;
      (window as unknown as { layerboardBench: typeof api }).layerboardBench = api;
      setReady(true);
    });
    return () => {
      alive = false;
    };
  }, []);
  return (
    <main className="shell">
      <h1>Training benchmark</h1>
      <p data-testid="bench-ready">{ready ? 'ready' : 'loading'}</p>
    </main>
  );
}
