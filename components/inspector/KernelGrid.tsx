'use client';
/**
 * A Conv2D preset's 3×3 weights as a grid of number fields (test id `kernel-grid`), coloured by
 * sign and size: blue for positive, orange for negative, stronger for larger. Editing a cell
 * turns the preset into `custom` with the edited weights, through the store's param update.
 */
import { useState } from 'react';
import type { Kernel3 } from '@/graph-compiler/conv-kernels';
import './lessons.css';

export interface KernelGridProps {
  /** The weights in force (the preset's, or the custom kernel). */
  kernel: Kernel3;
  /** Called with the whole new kernel when a cell holds a number. */
  onChange(kernel: Kernel3): void;
}

/** A cell's background: the weight's sign as a hue, its size against the largest as strength. */
export function weightColor(w: number, max: number): string {
  const a = max > 0 ? Math.min(1, Math.abs(w) / max) : 0;
  return w >= 0 ? `rgba(37, 99, 235, ${(0.45 * a).toFixed(3)})` : `rgba(194, 104, 58, ${(0.55 * a).toFixed(3)})`;
}

/** Short text of a weight: 1/9 reads 0.111, not 0.1111111119. */
export function formatWeight(w: number): string {
  return String(+w.toFixed(3));
}

export function KernelGrid({ kernel, onChange }: KernelGridProps) {
  // The text of the cell being edited stays as typed ("-", "0."), and reaches the document once it is a number.
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const max = Math.max(...kernel.flat().map(Math.abs));
  return (
    <div className="lb-kernel" data-testid="kernel-grid" role="group" aria-label="Kernel weights, 3 rows of 3">
      <div className="lb-kernel__grid">
        {kernel.map((row, r) =>
          row.map((w, c) => {
            const key = `${r},${c}`;
            return (
              <input
                key={key}
                type="text"
                inputMode="decimal"
                aria-label={`row ${r + 1}, column ${c + 1}`}
                data-cell={key}
                value={drafts[key] ?? formatWeight(w)}
                style={{ background: weightColor(w, max) }}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => {
                  const text = e.target.value;
                  const v = Number(text);
                  setDrafts((d) => ({ ...d, [key]: text }));
                  if (text.trim() !== '' && Number.isFinite(v) && v !== w) onChange(kernel.map((k, i) => k.map((x, j) => (i === r && j === c ? v : x))));
                }}
                onBlur={() => setDrafts((d) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== key)))}
              />
            );
          }),
        )}
      </div>
      <p className="lb-kernel__note">The same 9 weights slide over every position of the image. Editing one makes the preset custom.</p>
    </div>
  );
}
