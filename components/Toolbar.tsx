'use client';
/** The top bar: document name, templates, history, layout, files, and the model's totals. */
import { useState, type ReactNode } from 'react';
import { formatCount } from '@/graph-compiler';
import { groupThousands } from '@/lib/format';
import { openDocument, tidyLayout } from '@/lib/open';
import { useEditorStore } from '@/lib/store';
import { TEMPLATES } from '@/lib/templates';
import { useMenu } from './useMenu';

function TemplatesMenu() {
  const { open, setOpen, ref } = useMenu();
  return (
    <div className="lb-menu" ref={ref}>
      <button type="button" className="lb-btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="templates-button">
        New <span aria-hidden>▾</span>
      </button>
      {open && (
        <ul className="lb-menu__list" role="menu">
          {TEMPLATES.map((t) => (
            <li key={t.id} role="none">
              <button
                type="button"
                role="menuitem"
                data-testid={`template-${t.id}`}
                onClick={() => {
                  setOpen(false);
                  void openDocument(t.doc).then(() => {
                    if (useEditorStore.getState().past.length > 0) useEditorStore.getState().toast(`Opened ${t.title}. Ctrl+Z goes back.`);
                  });
                }}
              >
                <span className="lb-menu__title">{t.title}</span>
                <span className="lb-menu__desc">{t.description}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Stats() {
  const totals = useEditorStore((s) => s.result.totals);
  const diagnostics = useEditorStore((s) => s.result.diagnostics);
  const empty = useEditorStore((s) => s.doc.nodes.length === 0);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <div className="lb-stats">
      <div className="lb-stat">
        <span className="lb-stat__value" data-testid="total-params">
          {groupThousands(totals.totalParams)}
        </span>
        <span className="lb-stat__label">params</span>
      </div>
      <div className="lb-stat">
        <span className="lb-stat__value">{formatCount(totals.macs)}</span>
        <span className="lb-stat__label">MACs</span>
      </div>
      {!empty && (
        <div className={`lb-status lb-status--${errors ? 'error' : warnings ? 'warning' : 'ok'}`} data-testid="status">
          {errors ? `${errors} error${errors === 1 ? '' : 's'}` : warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : 'compiles'}
        </div>
      )}
    </div>
  );
}

/** What the main area shows: the canvas, or the training panel for the same graph. */
export type EditorView = 'design' | 'train';

function ViewSwitch({ view, onView }: { view: EditorView; onView(v: EditorView): void }) {
  const tabs: [EditorView, string, string][] = [
    ['design', 'Design', 'Draw the network (layers, shapes, parameters)'],
    ['train', 'Train', 'Train this network in the browser and evaluate it'],
  ];
  return (
    <div className="lb-tabs" role="tablist" aria-label="View">
      {tabs.map(([id, label, title]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={view === id}
          className={`lb-tab${view === id ? ' lb-tab--on' : ''}`}
          onClick={() => onView(id)}
          title={title}
          data-testid={`view-${id}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

export interface ToolbarProps {
  view: EditorView;
  onView(view: EditorView): void;
  /** The Share menu (links, files, images, code), owned by the editor. */
  share: ReactNode;
}

export function Toolbar({ view, onView, share }: ToolbarProps) {
  const name = useEditorStore((s) => s.doc.name ?? '');
  const canUndo = useEditorStore((s) => s.past.length > 0);
  const canRedo = useEditorStore((s) => s.future.length > 0);
  const empty = useEditorStore((s) => s.doc.nodes.length === 0);
  const [draft, setDraft] = useState<string | null>(null);
  const store = useEditorStore.getState;
  return (
    <header className="lb-toolbar">
      <h1 className="lb-logo">
        <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden>
          <rect x="2" y="2" width="16" height="4.5" rx="1.5" fill="#4c6ea8" />
          <rect x="2" y="7.75" width="16" height="4.5" rx="1.5" fill="#2e8c7e" />
          <rect x="2" y="13.5" width="16" height="4.5" rx="1.5" fill="#c2683a" />
        </svg>
        Layerboard
      </h1>
      <input
        className="lb-docname"
        aria-label="Network name"
        value={draft ?? name}
        placeholder="Untitled network"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (draft !== null) store().renameDocument(draft.trim());
          setDraft(null);
        }}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        data-testid="doc-name"
      />
      <div className="lb-toolbar__group">
        <TemplatesMenu />
        {share}
      </div>
      <div className="lb-toolbar__group">
        <button type="button" className="lb-btn lb-btn--icon" onClick={() => store().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo" data-testid="undo">
          ↶
        </button>
        <button type="button" className="lb-btn lb-btn--icon" onClick={() => store().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" data-testid="redo">
          ↷
        </button>
        <button
          type="button"
          className="lb-btn lb-btn--ghost"
          disabled={empty}
          onClick={() => void tidyLayout()}
          title="Arrange the layers automatically (L)"
          data-testid="tidy"
        >
          Tidy up
        </button>
      </div>
      <ViewSwitch view={view} onView={onView} />
      <Stats />
    </header>
  );
}
