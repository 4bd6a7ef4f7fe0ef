'use client';
/**
 * The Share button and its menu: copy a link that carries the whole design, download or open
 * the document as a file, export the canvas as PNG or SVG (both carry the document and open
 * again when dropped on the canvas), and export a tfjs model.json, an ONNX model or a PyTorch
 * script with its .npz weights (with the trained weights when there are some). Everything the
 * editor owns comes in through props.
 */
import { useRef, useState, type ChangeEvent } from 'react';
import { compile, type GraphDocument } from '@/graph-compiler';
import { toKeras } from '@/graph-compiler/emit/keras';
import { toModelJson } from '@/graph-compiler/interop';
import { copyText, downloadFile } from '@/lib/share/download';
import { documentFileName, documentJson } from '@/lib/share/file';
import { encodeLink, shareUrl } from '@/lib/share/link';
import { useMenu } from '../useMenu';
import { openFile } from './FileDropZone';
import type { Notify, OpenedDesign } from './types';
import type { ModelFiles } from '@/lib/share/onnx-export';

export interface ShareMenuProps {
  /** The current document (read when an item is chosen). */
  getDocument(): GraphDocument;
  /** React Flow's `.react-flow__viewport` element, for the image exports. */
  getViewport(): HTMLElement | null;
  /** Replace the graph with an opened file (one undo step). */
  onOpen(design: OpenedDesign): void;
  onMessage: Notify;
  /** The page the link opens; default: this page without its fragment. */
  baseUrl?: string;
  /**
   * Downloads `<baseName>.json` and `<baseName>.weights.bin` of the model trained from `doc`'s
   * layers; `none` when nothing was trained, `changed` when the graph changed since it was.
   */
  exportTrainedModel?(doc: GraphDocument, baseName: string): Promise<'exported' | 'none' | 'changed'>;
  /** The trained model's files when it was trained from `doc`'s layers (for the ONNX export). */
  trainedModelFiles?(doc: GraphDocument): Promise<ModelFiles | 'none' | 'changed'>;
}

const items = [
  ['copy-link', 'Copy share link', 'The whole design in the link; nothing is uploaded'],
  ['download-json', 'Download .json', 'The graph document, to open again or keep in git'],
  ['open-file', 'Open file…', 'A graph .json, a Layerboard .png/.svg, a model.json or an .onnx model'],
  ['export-png', 'Export PNG', 'A picture of the canvas that opens again when dropped on it'],
  ['export-svg', 'Export SVG', 'A scalable picture, with the graph inside it too'],
  ['export-keras', 'Export Keras (.py)', 'A Python script that builds this model in Keras 3'],
  ['export-pytorch', 'Export PyTorch (.py + .npz)', 'A PyTorch model and training script (torchrun-ready), with the trained weights once trained, else initial'],
  ['export-tfjs', 'Export tfjs model.json', 'For tf.loadLayersModel (with weights once trained)'],
  ['export-onnx', 'Export ONNX model', 'Opset 13, NCHW as in PyTorch (trained weights once trained, else initial)'],
] as const;

type Item = (typeof items)[number][0];

/** The toolbar's Share button with its menu. */
export function ShareMenu({ getDocument, getViewport, onOpen, onMessage, baseUrl, exportTrainedModel, trainedModelFiles }: ShareMenuProps) {
  const { open, setOpen, ref } = useMenu();
  const [manualLink, setManualLink] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const run = async (item: Item) => {
    setOpen(false);
    const doc = getDocument();
    try {
      if (item === 'copy-link') {
        const link = encodeLink(doc);
        if (!link.ok) return onMessage(link.message, 'error');
        const url = shareUrl(link, baseUrl ?? window.location.href);
        if (await copyText(url)) {
          setManualLink(null);
          onMessage(`Link copied (${url.length.toLocaleString('en-US')} characters). Whoever opens it gets this design.`, 'info');
        } else setManualLink(url);
      } else if (item === 'download-json') {
        downloadFile(documentFileName(doc), documentJson(doc), 'application/json');
      } else if (item === 'open-file') {
        input.current?.click();
      } else if (item === 'export-png' || item === 'export-svg') {
        const viewport = getViewport();
        if (!viewport) return onMessage('The canvas is not on screen, so there is nothing to draw.', 'error');
        const images = await import('@/lib/share/image-export');
        if (item === 'export-png') downloadFile(documentFileName(doc, '.png'), await images.renderCanvasPng(viewport, doc), 'image/png');
        else downloadFile(documentFileName(doc, '.svg'), await images.renderCanvasSvg(viewport, doc), 'image/svg+xml');
      } else if (item === 'export-keras') {
        const result = compile(doc);
        if (!result.ok) return onMessage('The graph has problems, so there is no model to write as Python yet: fix the nodes marked in red first.', 'error');
        downloadFile(documentFileName(doc, '.py'), toKeras(doc, result), 'text/x-python');
      } else if (item === 'export-pytorch') {
        const result = compile(doc);
        if (!result.ok) return onMessage('The graph has problems, so there is no model to write for PyTorch yet: fix the nodes marked in red first.', 'error');
        const trained = (await trainedModelFiles?.(doc)) ?? 'none';
        const { pytorchFiles } = await import('@/lib/share/pytorch-export');
        const out = await pytorchFiles(doc, result, typeof trained === 'string' ? null : trained);
        if (!out.ok) return onMessage(out.message, 'error');
        const py = documentFileName(doc, '.py');
        const npz = documentFileName(doc, '.npz');
        downloadFile(py, out.script, 'text/x-python');
        downloadFile(npz, out.weights, 'application/octet-stream');
        onMessage(`Exported ${py} and ${typeof trained === 'string' ? 'the initial' : 'the trained'} weights in ${npz}${trained === 'changed' ? ' (the graph changed after it was trained)' : ''}: python ${py} --weights ${npz}. Images are NCHW, as in PyTorch.`, 'info');
      } else if (item === 'export-tfjs') {
        const result = compile(doc);
        if (!result.ok) return onMessage('The graph has problems, so it is not a model yet: fix the nodes marked in red first.', 'error');
        const base = `${documentFileName(doc, '')}.model`;
        const trained = (await exportTrainedModel?.(doc, base)) ?? 'none';
        if (trained === 'exported') return onMessage(`Exported ${base}.json with the trained weights in ${base}.weights.bin.`, 'info');
        downloadFile(`${base}.json`, JSON.stringify(toModelJson(result, doc.name)), 'application/json');
        if (trained === 'changed') onMessage('The graph changed after it was trained, so this model.json has no weights: train it again to export them.', 'info');
      } else if (item === 'export-onnx') {
        const result = compile(doc);
        if (!result.ok) return onMessage('The graph has problems, so it is not a model yet: fix the nodes marked in red first.', 'error');
        const trained = (await trainedModelFiles?.(doc)) ?? 'none';
        const { onnxFile } = await import('@/lib/share/onnx-export');
        const out = await onnxFile(doc, result, typeof trained === 'string' ? null : trained);
        if (!out.ok) return onMessage(out.message, 'error');
        downloadFile(documentFileName(doc, '.onnx'), out.bytes, 'application/octet-stream');
        onMessage(typeof trained === 'string'
          ? `Exported ${documentFileName(doc, '.onnx')} with its initial weights${trained === 'changed' ? ' (the graph changed after it was trained)' : ''}; images are NCHW, as in PyTorch.`
          : `Exported ${documentFileName(doc, '.onnx')} with the trained weights; images are NCHW, as in PyTorch.`, 'info');
      }
    } catch (e) {
      onMessage(`That did not work: ${(e as Error)?.message ?? String(e)}`, 'error');
    }
  };

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void openFile(file, onOpen, onMessage);
  };

  return (
    <div className="lb-menu" ref={ref}>
      <button type="button" className="lb-btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="share-button">
        Share <span aria-hidden>▾</span>
      </button>
      <input ref={input} type="file" hidden accept=".json,.png,.svg,.onnx,application/json,image/png,image/svg+xml" onChange={onFile} data-testid="share-file-input" />
      {open && (
        <ul className="lb-menu__list" role="menu">
          {items.map(([id, title, desc]) => (
            <li key={id} role="none">
              <button type="button" role="menuitem" data-testid={`share-${id}`} onClick={() => void run(id)}>
                <span className="lb-menu__title">{title}</span>
                <span className="lb-menu__desc">{desc}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {manualLink && (
        <div className="lb-menu__list" role="dialog" aria-label="Share link" data-testid="share-manual-link" style={{ padding: 8, width: 360 }}>
          <label style={{ display: 'block', marginBottom: 4 }} htmlFor="lb-share-link">The browser would not copy; copy the link here:</label>
          <input id="lb-share-link" readOnly value={manualLink} onFocus={(e) => e.currentTarget.select()} style={{ width: '100%' }} autoFocus />
          <button type="button" className="lb-btn" style={{ marginTop: 6 }} onClick={() => setManualLink(null)}>Done</button>
        </div>
      )}
    </div>
  );
}
