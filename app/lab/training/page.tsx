import type { Metadata } from 'next';
import { TrainingLab } from '@/components/training/TrainingLab';

export const metadata: Metadata = { title: 'Training lab · Layerboard' };

/**
 * The training panel on its own, with a template graph: `?template=spiral-mlp` picks the
 * graph, `?backend=cpu` forces the CPU backend. The editor mounts the same panel.
 */
export default async function TrainingLabPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const backend = one(params.backend) === 'cpu' ? 'cpu' : 'webgl';
  return <TrainingLab templateId={one(params.template)} preferBackend={backend} />;
}
