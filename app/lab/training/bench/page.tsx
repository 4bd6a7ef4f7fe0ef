import type { Metadata } from 'next';
import { BenchHost } from '@/components/training/BenchHost';

export const metadata: Metadata = { title: 'Training benchmark · Layerboard' };

/** Hosts `npm run bench`: the benchmark drives `window.layerboardBench` from Playwright. */
export default function TrainingBenchPage() {
  return <BenchHost />;
}
