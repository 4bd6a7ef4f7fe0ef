/**
 * Which side panels of the editor are open: the layer palette, the inspector (with the
 * problems) and the summary table. Each collapses, and the canvas takes the room. The first
 * state follows the window: everything on a wide screen; on a phone the palette and the
 * inspector are drawers over the canvas, closed until asked for (the inspector opens when a
 * layer is tapped), so that the graph keeps the screen.
 */
import { create } from 'zustand';

export type PanelName = 'palette' | 'inspector' | 'summary';

/** At or below this width (CSS px) the palette and the inspector are drawers over the canvas. */
export const PHONE_MAX_WIDTH = 760;

export interface PanelsState {
  open: Record<PanelName, boolean>;
  /** True on a phone-sized window: panels are drawers. */
  narrow: boolean;
  toggle(name: PanelName): void;
  setOpen(name: PanelName, open: boolean): void;
  /** Sets the layout for a window `width` px wide (on mount and when it crosses the phone width). */
  fitWindow(width: number): void;
}

export const usePanels = create<PanelsState>()((set, get) => ({
  open: { palette: true, inspector: true, summary: true },
  narrow: false,
  toggle: (name) => set({ open: { ...get().open, [name]: !get().open[name] } }),
  setOpen: (name, open) => {
    if (get().open[name] !== open) set({ open: { ...get().open, [name]: open } });
  },
  fitWindow: (width) => {
    const narrow = width <= PHONE_MAX_WIDTH;
    if (narrow === get().narrow) return;
    set({ narrow, open: narrow ? { palette: false, inspector: false, summary: true } : { palette: true, inspector: true, summary: true } });
  },
}));
