'use client';
/**
 * Wraps the canvas: dropping a graph (.json), an image exported by Layerboard (.png, .svg), a
 * tfjs/Keras model.json or an ONNX model on it opens that design. Drags that carry no files (palette items)
 * pass straight through to the canvas.
 */
import { useCallback, useState, type DragEvent, type ReactNode } from 'react';
import { openFileBytes } from '@/lib/share/file';
import { describeOpened, type Notify, type OpenedDesign } from './types';

/** Reads one File and hands on the design, or the message that says why there is none. */
export async function openFile(file: File, onOpen: (d: OpenedDesign) => void, onMessage: Notify): Promise<void> {
  const opened = openFileBytes(file.name, new Uint8Array(await file.arrayBuffer()));
  if (!opened.ok) {
    onMessage(`${opened.message} Your graph was not changed.`, 'error');
    return;
  }
  const from = opened.kind === 'model.json' || opened.kind === 'onnx' ? `the model ${file.name}` : file.name;
  onOpen({ doc: opened.doc, result: opened.result, source: opened.kind, messages: opened.messages, summary: describeOpened(opened.doc, opened.result, from) });
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

export interface FileDropZoneProps {
  onOpen(design: OpenedDesign): void;
  onMessage: Notify;
  children: ReactNode;
  className?: string;
}

/** A block element around the canvas that accepts dropped files. */
export function FileDropZone({ onOpen, onMessage, children, className }: FileDropZoneProps) {
  const [over, setOver] = useState(false);
  const onDragOver = useCallback((e: DragEvent<HTMLDivElement>) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  }, []);
  const onDragLeave = useCallback((e: DragEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
  }, []);
  const onDrop = useCallback((e: DragEvent<HTMLDivElement>) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void openFile(file, onOpen, onMessage);
  }, [onOpen, onMessage]);
  return (
    <div
      className={className}
      style={{ position: 'relative', height: '100%', width: '100%' }}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDropCapture={onDrop}
      data-testid="file-drop-zone"
    >
      {children}
      {over && (
        <div role="status" data-testid="drop-overlay" style={{
          position: 'absolute', inset: 0, zIndex: 20, pointerEvents: 'none', display: 'flex', alignItems: 'center',
          justifyContent: 'center', background: 'rgba(37, 99, 235, 0.08)', border: '2px dashed #2563eb', font: '600 15px var(--font-sans, sans-serif)', color: '#1d4ed8',
        }}>
          Drop a graph (.json), a Layerboard image (.png, .svg), a model.json or an ONNX model (.onnx) to open it
        </div>
      )}
    </div>
  );
}
