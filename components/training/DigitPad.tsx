'use client';
/**
 * Draw a digit and see what the trained MNIST model thinks: the drawing is centred and scaled
 * the way MNIST digits are (see lib/training/digit.ts), then the class probabilities show as
 * bars, updated at the end of every stroke.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { mnistFromDrawing } from '@/lib/training/digit';

const SIZE = 168;

export function DigitPad({ predict, classNames, ready }: { predict(x: Float32Array): Promise<Float32Array | null>; classNames: string[]; ready: boolean }) {
  const pad = useRef<HTMLCanvasElement>(null);
  const thumb = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const last = useRef<[number, number] | null>(null);
  const [probs, setProbs] = useState<Float32Array | null>(null);

  const blank = useCallback(() => {
    const ctx = pad.current?.getContext('2d');
    if (ctx) {
      ctx.fillStyle = '#111';
      ctx.fillRect(0, 0, SIZE, SIZE);
    }
    thumb.current?.getContext('2d')?.clearRect(0, 0, 28, 28);
  }, []);

  useEffect(blank, [blank]);

  const clear = () => {
    blank();
    setProbs(null);
  };

  const classify = async () => {
    const ctx = pad.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = Math.max(0, rgba[4 * i] - 17) / 238;
    const digit = mnistFromDrawing(ink, SIZE);
    if (!digit) return;
    const t = thumb.current?.getContext('2d');
    if (t) {
      const img = t.createImageData(28, 28);
      for (let i = 0; i < 784; i++) {
        const v = digit[i] * 255;
        img.data.set([v, v, v, 255], 4 * i);
      }
      t.putImageData(img, 0, 0);
    }
    if (ready) setProbs(await predict(digit));
  };

  const point = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE];
  };

  const stroke = (to: [number, number]) => {
    const ctx = pad.current?.getContext('2d');
    if (!ctx) return;
    const from = last.current ?? to;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 13;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
    last.current = to;
  };

  let top = -1;
  if (probs) for (let i = 0; i < probs.length; i++) if (top < 0 || probs[i] > probs[top]) top = i;

  return (
    <div className="lb-train-pad">
      <div className="lb-train-pad__canvas">
        <canvas
          ref={pad}
          width={SIZE}
          height={SIZE}
          data-testid="digit-pad"
          aria-label="Drawing pad: draw a digit with the mouse or a finger"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            drawing.current = true;
            last.current = null;
            stroke(point(e));
          }}
          onPointerMove={(e) => {
            if (drawing.current) stroke(point(e));
          }}
          onPointerUp={() => {
            drawing.current = false;
            last.current = null;
            void classify();
          }}
        />
        <div className="lb-inline">
          <button type="button" className="lb-btn lb-btn--small" onClick={clear}>
            Clear
          </button>
          <canvas ref={thumb} width={28} height={28} className="lb-train-pad__thumb" title="What the model sees: 28×28, centred like MNIST" />
        </div>
      </div>
      <div className="lb-train-bars" data-testid="digit-probs" data-top={top >= 0 ? classNames[top] : ''}>
        {classNames.map((c, i) => {
          const p = probs ? probs[i] : 0;
          return (
            <div key={c} className="lb-train-bar" data-top={i === top}>
              <span>{c}</span>
              <div className="lb-train-bar__track">
                <div className="lb-train-bar__fill" style={{ width: `${p * 100}%` }} />
              </div>
              <span className="lb-train-bar__value">{probs ? `${(p * 100).toFixed(1)}%` : ''}</span>
            </div>
          );
        })}
        <p className="lb-train-note">{ready ? (probs ? `Looks like a ${classNames[top]}.` : 'Draw a digit in the black square.') : 'Train a model (or load one) to read your digits.'}</p>
      </div>
    </div>
  );
}
