'use client';
/**
 * A hook for browser tests of the CPU fallback: `window.layerboardTrainingLab.loseWebGLContext()`
 * loses the training WebGL context on demand. Mounted wherever the training panel is.
 */
import { useEffect } from 'react';
import { useTrainingSession } from '@/lib/training/session';

export function useContextLossHook(): void {
  useEffect(() => {
    const w = window as unknown as { layerboardTrainingLab?: { loseWebGLContext(): Promise<void> } };
    w.layerboardTrainingLab = { loseWebGLContext: () => useTrainingSession.getState().loseWebGLContext() };
    return () => {
      delete w.layerboardTrainingLab;
    };
  }, []);
}
