'use client';
/**
 * Export the trained model as TensorFlow.js files (model.json + model.weights.bin, the format
 * `tf.loadLayersModel` reads), or load such files back to evaluate them on the chosen data set.
 */
import { useRef } from 'react';

export function ModelFiles({ hasModel, locked, onExport, onLoad }: { hasModel: boolean; locked: boolean; onExport(): void; onLoad(files: File[]): void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="lb-train-card" aria-label="Model files">
      <div className="lb-train-card__head">
        <h3 className="lb-section-title">Model files</h3>
        <span className="lb-train-aside">TensorFlow.js layers format</span>
      </div>
      <div className="lb-train-card__body">
        <div className="lb-inline" style={{ flexWrap: 'wrap' }}>
          <button type="button" className="lb-btn" data-testid="model-export" disabled={!hasModel} onClick={onExport}>
            Download model.json + weights
          </button>
          <button type="button" className="lb-btn" data-testid="model-load" disabled={locked} onClick={() => input.current?.click()}>
            Load a model…
          </button>
          <input
            ref={input}
            type="file"
            multiple
            accept=".json,.bin"
            hidden
            data-testid="model-files"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) onLoad(files);
            }}
          />
        </div>
        <p className="lb-train-note">
          Choose both files to load a model: it is evaluated on the test split of the data set chosen above. In Python,{' '}
          <code>tensorflowjs_converter</code> turns them into a Keras model.
        </p>
      </div>
    </section>
  );
}
