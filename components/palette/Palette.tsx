'use client';
/**
 * The layer palette: every layer type of the registry, grouped by category, with a search box.
 * Hovering an entry shows its description and params; dragging it onto the canvas adds it
 * there, and double-click or Enter adds it in the middle of the view.
 */
import { useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type DragEvent, type KeyboardEvent } from 'react';
import { CATEGORIES, LAYERS, type AnyLayerSpec, type ParamSpec } from '@/graph-compiler';
import { CATEGORY_COLORS } from '@/lib/categories';
import { searchLayers } from '@/lib/layer-search';
import { useEditorStore } from '@/lib/store';
import { canvasBridge, LAYER_MIME } from '../canvas/bridge';
import { PanelClose } from '../Panels';

interface Hover {
  spec: AnyLayerSpec;
  top: number;
  left: number;
}

function addToCanvas(type: string) {
  const at = canvasBridge()?.viewCentre() ?? { x: 0, y: 0 };
  const taken = useEditorStore.getState().doc.nodes.some((n) => n.position?.x === at.x && n.position?.y === at.y);
  useEditorStore.getState().addNode(type, taken ? { x: at.x + 32, y: at.y + 32 } : at);
}

function paramLine(key: string, p: ParamSpec): string {
  return `${key}${p.required ? ' (required)' : ''}`;
}

export function Palette() {
  const [query, setQuery] = useState('');
  const [hover, setHover] = useState<Hover | null>(null);
  const card = useRef<HTMLDivElement>(null);
  // The hover card stays inside the window: measured once drawn, moved up (or left) to fit.
  useLayoutEffect(() => {
    const el = card.current;
    if (!el || !hover) return;
    const margin = 8;
    const { height, width } = el.getBoundingClientRect();
    el.style.top = `${Math.max(margin, Math.min(hover.top, window.innerHeight - height - margin))}px`;
    el.style.left = `${Math.max(margin, Math.min(hover.left, window.innerWidth - width - margin))}px`;
  }, [hover]);
  const matches = useMemo(() => new Set(searchLayers(query).map((l) => l.type)), [query]);
  const groups = useMemo(
    () =>
      CATEGORIES.map((c) => ({ ...c, layers: LAYERS.filter((l) => l.category === c.id && matches.has(l.type)) })).filter(
        (g) => g.layers.length > 0,
      ),
    [matches],
  );

  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(LAYER_MIME, type);
    event.dataTransfer.setData('text/plain', type);
    event.dataTransfer.effectAllowed = 'copy';
    setHover(null);
  };

  const onKeyDown = (event: KeyboardEvent, type: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      addToCanvas(type);
    }
  };

  const onSearchKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      const first = groups[0]?.layers[0];
      if (first) addToCanvas(first.type);
    } else if (event.key === 'Escape') setQuery('');
  };

  return (
    <aside className="lb-palette" aria-label="Layers" data-testid="palette">
      <div className="lb-panel-title lb-panel-title--bar">
        Layers
        <PanelClose name="palette" />
      </div>
      <div className="lb-palette__search">
        <input
          className="lb-input"
          type="search"
          placeholder="Search layers…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
          aria-label="Search layers"
          data-testid="palette-search"
        />
      </div>
      <div className="lb-palette__groups" onScroll={() => setHover(null)}>
        {groups.map((g) => (
          <section key={g.id} className="lb-palette__group">
            <h3 className="lb-palette__heading">
              <span className="lb-dot" style={{ background: CATEGORY_COLORS[g.id] }} />
              {g.title}
            </h3>
            <ul>
              {g.layers.map((l) => (
                // The button is inside the item: a list holds only list items (axe "list").
                <li key={l.type}>
                  <div
                    className="lb-palette__item"
                    style={{ '--cat': CATEGORY_COLORS[l.category] } as CSSProperties}
                    data-testid={`palette-item-${l.type}`}
                    role="button"
                    tabIndex={0}
                    draggable
                    aria-label={`${l.type}: ${l.description}`}
                    onDragStart={(e) => onDragStart(e, l.type)}
                    onDoubleClick={() => addToCanvas(l.type)}
                    onKeyDown={(e) => onKeyDown(e, l.type)}
                    onMouseEnter={(e) => {
                      const r = e.currentTarget.getBoundingClientRect();
                      setHover({ spec: l, top: r.top, left: r.right + 10 });
                    }}
                    onMouseLeave={() => setHover(null)}
                  >
                    {l.type}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 && <p className="lb-muted lb-palette__none">No layer matches “{query}”.</p>}
      </div>
      <p className="lb-palette__hint">Drag onto the canvas · double-click to add</p>
      {hover && (
        <div className="lb-hovercard" ref={card} style={{ top: hover.top, left: hover.left }} role="tooltip" data-testid="palette-tooltip">
          <div className="lb-hovercard__title">
            <span className="lb-dot" style={{ background: CATEGORY_COLORS[hover.spec.category] }} />
            {hover.spec.type}
          </div>
          <p>{hover.spec.description}</p>
          {Object.keys(hover.spec.params).length > 0 && (
            <p className="lb-hovercard__params">
              {Object.entries(hover.spec.params as Record<string, ParamSpec>)
                .filter(([, p]) => !p.advanced)
                .map(([k, p]) => paramLine(k, p))
                .join(' · ')}
            </p>
          )}
        </div>
      )}
    </aside>
  );
}
