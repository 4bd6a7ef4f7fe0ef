'use client';
/** What an empty canvas says: how to start, and a few templates one click away. */
import { openDocument } from '@/lib/open';
import { templateById } from '@/lib/templates';

const SUGGESTED = ['perceptron', 'mlp', 'lenet5', 'resnet-blocks'];

export function EmptyState() {
  return (
    <div className="lb-empty" data-testid="empty-state">
      <div className="lb-empty__card">
        <h2>Start a network</h2>
        <p>
          Drag a layer from the palette, or <strong>double-click</strong> the canvas to search for one. Begin with an{' '}
          <em>Input</em>, then connect each layer’s bottom handle to the next one’s top.
        </p>
        <div className="lb-empty__templates">
          <span>Or open a template:</span>
          {SUGGESTED.map((id) => {
            const t = templateById(id)!;
            return (
              <button key={id} type="button" className="lb-chip" onClick={() => void openDocument(t.doc)}>
                {t.title}
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
}
