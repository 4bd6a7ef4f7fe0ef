/**
 * The canvas as a picture: PNG (with the document in a tEXt chunk) and SVG (with the document
 * in `<metadata>`), rendered by html-to-image from React Flow's viewport element, framed on
 * the nodes (not on whatever part of the canvas is scrolled into view). Browser only.
 */
import { toBlob, toSvg } from 'html-to-image';
import type { GraphDocument } from '@/graph-compiler';
import { embedDocumentInSvg } from './file';
import { embedDocumentInPng } from './png-text';

export interface CanvasImageOptions {
  /** Space around the nodes, in canvas pixels. */
  padding?: number;
  /** The longer side of the image at most, in CSS pixels; larger graphs are scaled down. */
  maxSize?: number;
  background?: string;
  /** Device pixels per CSS pixel in a PNG (2 for a sharp image on most screens). */
  pixelRatio?: number;
}

interface Frame {
  width: number;
  height: number;
  transform: string;
}

/** The nodes' bounding box in canvas coordinates, read from React Flow's node elements. */
function nodeBounds(viewport: HTMLElement): { x: number; y: number; width: number; height: number } | null {
  const nodes = [...viewport.querySelectorAll<HTMLElement>('.react-flow__node')];
  if (nodes.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const el of nodes) {
    const m = el.style.transform.match(/translate\(\s*(-?[\d.]+)px\s*,\s*(-?[\d.]+)px\s*\)/);
    const x = m ? Number(m[1]) : 0;
    const y = m ? Number(m[2]) : 0;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + el.offsetWidth);
    maxY = Math.max(maxY, y + el.offsetHeight);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

function frame(viewport: HTMLElement, o: CanvasImageOptions): Frame {
  const pad = o.padding ?? 24;
  const b = nodeBounds(viewport) ?? { x: 0, y: 0, width: 320, height: 200 };
  const w = b.width + 2 * pad;
  const h = b.height + 2 * pad;
  const scale = Math.min(1, (o.maxSize ?? 4096) / Math.max(w, h));
  return {
    width: Math.ceil(w * scale),
    height: Math.ceil(h * scale),
    transform: `translate(${(pad - b.x) * scale}px, ${(pad - b.y) * scale}px) scale(${scale})`,
  };
}

function renderOptions(viewport: HTMLElement, o: CanvasImageOptions) {
  const f = frame(viewport, o);
  return {
    width: f.width,
    height: f.height,
    backgroundColor: o.background ?? '#ffffff',
    style: { width: `${f.width}px`, height: `${f.height}px`, transform: f.transform },
    skipFonts: true,
  };
}

const SVG_PAINT = ['stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'fill', 'fill-opacity', 'opacity'] as const;

/**
 * Runs `render` with the computed paint of every SVG shape under `root` written on it as
 * attributes, then puts the attributes back. html-to-image copies computed styles onto HTML
 * elements but not onto SVG shapes, so edges styled by React Flow's stylesheet would come out
 * with no stroke at all.
 */
async function withSvgPaint<T>(root: HTMLElement, render: () => Promise<T>): Promise<T> {
  const saved: [Element, string, string | null][] = [];
  for (const el of root.querySelectorAll('svg path, svg line, svg polyline, svg polygon, svg circle, svg rect, svg ellipse, svg text')) {
    const style = getComputedStyle(el);
    for (const prop of SVG_PAINT) {
      saved.push([el, prop, el.getAttribute(prop)]);
      el.setAttribute(prop, style.getPropertyValue(prop));
    }
  }
  try {
    return await render();
  } finally {
    for (const [el, prop, value] of saved) {
      if (value === null) el.removeAttribute(prop);
      else el.setAttribute(prop, value);
    }
  }
}

/**
 * A PNG of the graph with its document embedded.
 *
 * @example
 * const png = await renderCanvasPng(document.querySelector('.react-flow__viewport')!, doc);
 * downloadFile('lenet-5.png', png, 'image/png');
 */
export async function renderCanvasPng(viewport: HTMLElement, doc: GraphDocument, o: CanvasImageOptions = {}): Promise<Uint8Array> {
  const blob = await withSvgPaint(viewport, () => toBlob(viewport, { ...renderOptions(viewport, o), pixelRatio: o.pixelRatio ?? 2 }));
  if (!blob) throw new Error('the browser could not draw the canvas');
  return embedDocumentInPng(new Uint8Array(await blob.arrayBuffer()), doc);
}

/** An SVG of the graph (text) with its document embedded. */
export async function renderCanvasSvg(viewport: HTMLElement, doc: GraphDocument, o: CanvasImageOptions = {}): Promise<string> {
  const url = await withSvgPaint(viewport, () => toSvg(viewport, renderOptions(viewport, o)));
  const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
  return embedDocumentInSvg(svg, doc);
}
