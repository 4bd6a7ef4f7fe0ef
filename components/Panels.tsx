'use client';
/**
 * The collapsible panels' controls: the button in a panel's header that hides it, and the
 * narrow rail (or, on a phone, the floating button) that brings it back. State in lib/panels.
 */
import { useEffect } from 'react';
import { useEditorStore } from '@/lib/store';
import { usePanels, type PanelName } from '@/lib/panels';

const TITLES: Record<PanelName, string> = { palette: 'layers', inspector: 'details', summary: 'summary' };

/** The ✕ / ▾ in a panel's header. */
export function PanelClose({ name }: { name: PanelName }) {
  const toggle = usePanels((s) => s.toggle);
  const narrow = usePanels((s) => s.narrow);
  const glyph = name === 'summary' ? '▾' : narrow ? '✕' : name === 'palette' ? '«' : '»';
  return (
    <button type="button" className="lb-btn lb-btn--ghost lb-btn--icon lb-panel-close" onClick={() => toggle(name)} aria-label={`Hide the ${TITLES[name]}`} title={`Hide the ${TITLES[name]}`} data-testid={`hide-${name}`}>
      {glyph}
    </button>
  );
}

/** Where a closed panel was: a rail with a button that opens it again. */
export function PanelRail({ name }: { name: PanelName }) {
  const open = usePanels((s) => s.open[name]);
  const toggle = usePanels((s) => s.toggle);
  if (open) return null;
  const label = name === 'palette' ? 'Layers' : name === 'inspector' ? 'Details' : 'Summary';
  return (
    <div className={`lb-rail lb-rail--${name}`}>
      <button type="button" className="lb-btn lb-rail__btn" onClick={() => toggle(name)} aria-label={`Show the ${TITLES[name]}`} data-testid={`show-${name}`}>
        {name === 'summary' ? '▴ ' : ''}
        {label}
      </button>
    </div>
  );
}

/**
 * Follows the window's width (phone or not), and on a phone opens the inspector when one
 * layer is selected, so that tapping a node shows its details.
 */
export function usePanelLayout(): void {
  useEffect(() => {
    const fit = () => usePanels.getState().fitWindow(window.innerWidth);
    fit();
    window.addEventListener('resize', fit);
    const unsubscribe = useEditorStore.subscribe((s, prev) => {
      if (s.selectedNodes === prev.selectedNodes || s.selectedNodes.size !== 1) return;
      const panels = usePanels.getState();
      if (panels.narrow) panels.setOpen('inspector', true);
    });
    return () => {
      window.removeEventListener('resize', fit);
      unsubscribe();
    };
  }, []);
}
