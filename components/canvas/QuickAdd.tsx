'use client';
/** The quick-add box: double-click the canvas (or drop a connection on it), type, press Enter. */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Position } from '@/graph-compiler';
import { CATEGORY_COLORS } from '@/lib/categories';
import { searchLayers } from '@/lib/layer-search';
import { useEditorStore } from '@/lib/store';

export interface QuickAddProps {
  left: number;
  top: number;
  at: Position;
  connectFrom?: string;
  onClose(): void;
}

export function QuickAdd({ left, top, at, connectFrom, onClose }: QuickAddProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => searchLayers(query).slice(0, 8), [query]);

  useEffect(() => input.current?.focus(), []);

  const choose = (type: string) => {
    useEditorStore.getState().addNode(type, at, connectFrom);
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onClose();
    else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter' && matches[active]) choose(matches[active].type);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <>
      <div className="lb-quickadd-backdrop" onMouseDown={onClose} />
      <div className="lb-quickadd" style={{ left, top }} role="dialog" aria-label="Add a layer" data-testid="quick-add">
        <input
          ref={input}
          className="lb-input"
          placeholder={connectFrom ? 'Add and connect a layer…' : 'Add a layer…'}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          aria-label="Layer type"
        />
        <ul className="lb-quickadd__list" role="listbox">
          {matches.map((l, i) => (
            <li
              key={l.type}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'is-active' : ''}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(l.type);
              }}
            >
              <span className="lb-dot" style={{ background: CATEGORY_COLORS[l.category] }} />
              <span className="lb-quickadd__type">{l.type}</span>
              <span className="lb-quickadd__cat">{l.category}</span>
            </li>
          ))}
          {matches.length === 0 && <li className="lb-quickadd__none">No layer matches “{query}”</li>}
        </ul>
      </div>
    </>
  );
}
