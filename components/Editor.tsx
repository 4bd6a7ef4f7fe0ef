'use client';
/**
 * The editor, the app's one client island: palette, canvas, inspector, problems and summary,
 * with keyboard shortcuts, autosave and the restore-on-load that goes with it.
 */
import '@xyflow/react/dist/style.css';
import './editor.css';
import { ReactFlowProvider } from '@xyflow/react';
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useRef, useState } from 'react';
import { compile, type GraphDocument } from '@/graph-compiler';
import { openDocument, tidyLayout } from '@/lib/open';
import { createAutosaver, restoreAutosave } from '@/lib/persistence';
import { downloadFile } from '@/lib/share/download';
import { useEditorStore } from '@/lib/store';
import { templateById } from '@/lib/templates';
import type { BackendChoice } from '@/lib/training/host';
import { usePanels } from '@/lib/panels';
import { canvasBridge } from './canvas/bridge';
import { FlowCanvas } from './canvas/FlowCanvas';
import { Inspector } from './inspector/Inspector';
import { Palette } from './palette/Palette';
import { PanelClose, PanelRail, usePanelLayout } from './Panels';
import { DiagnosticsList } from './summary/DiagnosticsList';
import { SummaryTable } from './summary/SummaryTable';
import { Toasts } from './Toasts';
import { FileDropZone, ShareMenu, useShareLinkOpener, type OpenedDesign } from './share';
import { Toolbar, type EditorView } from './Toolbar';

// The training panel (and, on first use, TensorFlow.js) loads after the editor is up.
const EditorTraining = dynamic(() => import('./training/EditorTraining').then((m) => m.EditorTraining), {
  ssr: false,
  loading: () => <p className="lb-muted" style={{ padding: 16 }}>Loading the training panel…</p>,
});

/**
 * The hook that benchmarks and browser tests use to drive the editor. The training parts load
 * on first call (TensorFlow.js only when a run or a benchmark needs it), never with the page.
 */
export interface LayerboardHook {
  store: typeof useEditorStore;
  openDocument(doc: GraphDocument): Promise<void>;
  compile: typeof compile;
  /** Opens the template with this id (`lib/templates`, as the New menu does), laid out. */
  openTemplate(id: string): Promise<void>;
  /** Sets the training panel's Backend choice, which the next run uses. */
  setBackend(choice: BackendChoice): Promise<void>;
  /** Loses the training WebGL context on purpose (WEBGL_lose_context), to exercise the CPU fallback. */
  loseWebGLContext(): Promise<void>;
  /** The training benchmarks of `npm run bench` (lib/training/bench-api.ts). */
  bench(): Promise<typeof import('@/lib/training/bench-api')>;
  /** Each epoch of the last run as the training host logged it (its time in the host, its tf.memory() at the epoch's end), and the backend. */
  trainingLog(): Promise<{ backend: string | null; epochs: { epoch: number; ms: number; numTensors: number; numBytes: number }[] }>;
  /** The training host's tf.memory() now (in the worker when training runs there); starts the host if needed. */
  trainingMemory(): Promise<{ numTensors: number; numBytes: number }>;
}

const layerboardHook: LayerboardHook = {
  store: useEditorStore,
  openDocument,
  compile,
  async openTemplate(id) {
    const template = templateById(id);
    if (!template) throw new Error(`There is no template "${id}".`);
    await openDocument(template.doc);
  },
  async setBackend(choice) {
    const { useBackendChoice } = await import('@/lib/training/host');
    useBackendChoice.getState().setChoice(choice);
  },
  async loseWebGLContext() {
    const { useTrainingSession } = await import('@/lib/training/session');
    await useTrainingSession.getState().loseWebGLContext();
  },
  async trainingLog() {
    const { useTrainingSession } = await import('@/lib/training/session');
    const { backend, epochs } = useTrainingSession.getState();
    return { backend, epochs: epochs.map(({ epoch, ms, numTensors, numBytes }) => ({ epoch, ms, numTensors, numBytes })) };
  },
  async trainingMemory() {
    const { useTrainingSession } = await import('@/lib/training/session');
    return useTrainingSession.getState().memory();
  },
  bench: () => import('@/lib/training/bench-api'),
};

declare global {
  interface Window {
    __layerboard?: LayerboardHook;
  }
}

interface RestoreNotice {
  reason: string;
  asideKey: string | null;
  raw: string;
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

function onKeyDown(e: KeyboardEvent) {
  if (isEditable(e.target) || e.defaultPrevented) return;
  const store = useEditorStore.getState();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  let handled = true;
  if (mod && key === 'z' && !e.shiftKey) store.undo();
  else if ((mod && key === 'z' && e.shiftKey) || (e.ctrlKey && key === 'y')) store.redo();
  else if (mod && key === 'c') store.copySelection();
  else if (mod && key === 'v') store.paste(canvasBridge()?.pointer());
  else if (mod && key === 'd') store.duplicateSelection();
  else if (mod && key === 'a') store.selectAll();
  else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) store.deleteSelection();
  else if (!mod && e.key === 'Escape') store.setSelection([]);
  else if (!mod && !e.altKey && key === 'l') void tidyLayout();
  else if (!mod && !e.altKey && key === 'f') store.requestFit();
  else handled = false;
  if (handled) e.preventDefault();
}

function RestoreBanner({ notice, onClose }: { notice: RestoreNotice; onClose(): void }) {
  return (
    <div className="lb-banner" role="alert" data-testid="restore-notice">
      <div>
        <strong>Your saved graph could not be opened:</strong> {notice.reason}.{' '}
        {notice.asideKey ? (
          <>
            It has been kept, unchanged, in this browser’s storage under <code>{notice.asideKey}</code>, and the editor started
            with a blank graph.
          </>
        ) : (
          <>It was left where it was, and autosave is off so that nothing overwrites it.</>
        )}
      </div>
      <div className="lb-banner__actions">
        <button type="button" className="lb-btn" onClick={() => downloadFile('layerboard-unreadable-save.json', notice.raw, 'application/json')}>
          Download it
        </button>
        <button type="button" className="lb-btn lb-btn--ghost" onClick={onClose}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

/** Replaces the graph with an opened design (one undo step) and says what happened. */
function openDesign(design: OpenedDesign) {
  void openDocument(design.doc).then(() => {
    const store = useEditorStore.getState();
    store.toast(`${design.summary} Ctrl+Z brings back your previous graph.`);
    for (const m of design.messages) store.toast(m);
  }, (e: unknown) => {
    useEditorStore.getState().toast(`The design could not be opened (${e instanceof Error ? e.message : 'an unexpected error'}); your current graph is unchanged.`, 'error');
  });
}

function notify(text: string, tone: 'info' | 'error') {
  useEditorStore.getState().toast(text, tone);
}

/** The Share menu's trained weights come from the training panel (loaded by then, if it trained). */
const exportTrainedModel = (doc: GraphDocument, baseName: string) =>
  import('./training/trained-model').then((m) => m.exportTrainedModel(doc, baseName));
const trainedModelFiles = (doc: GraphDocument) => import('./training/trained-model').then((m) => m.trainedModelFiles(doc));

const getDocument = () => useEditorStore.getState().doc;
const getViewport = () => document.querySelector<HTMLElement>('.lb-canvas .react-flow__viewport');

export default function Editor() {
  const [ready, setReady] = useState(false);
  const [notice, setNotice] = useState<RestoreNotice | null>(null);
  const [saveFailed, setSaveFailed] = useState(false);
  const [view, setView] = useState<EditorView>('design');
  const started = useRef(false);
  const trainRef = useRef<HTMLElement>(null);
  const panels = usePanels((s) => s.open);
  const narrow = usePanels((s) => s.narrow);
  usePanelLayout();

  useShareLinkOpener({ onOpen: openDesign, onMessage: notify, ready });

  // The switch scrolls between the two parts of the page; scrolling updates the switch.
  const showView = useCallback((next: EditorView) => {
    setView(next);
    if (next === 'train') {
      trainRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    } else {
      trainRef.current?.parentElement?.scrollTo({ top: 0, behavior: 'smooth' });
    }
  }, []);
  useEffect(() => {
    const section = trainRef.current;
    if (!section || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      ([entry]) => {
        // Train once the training section fills most of the window (it is taller than it).
        const root = entry.rootBounds?.height ?? window.innerHeight;
        setView(entry.intersectionRect.height > root / 2 ? 'train' : 'design');
      },
      { threshold: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] },
    );
    observer.observe(section);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    window.__layerboard = layerboardHook;
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    // The message stays up until a save succeeds; leaving the page meanwhile asks first.
    const saver = createAutosaver(() => setSaveFailed(true), undefined, () => setSaveFailed(false));
    const flush = () => saver.flush();
    window.addEventListener('beforeunload', (e) => {
      saver.flush();
      if (saver.failing()) e.preventDefault();
    });
    const outcome = restoreAutosave();
    const begin = () => {
      useEditorStore.subscribe((s, prev) => {
        if (s.doc !== prev.doc) saver.schedule(s.doc);
      });
      window.addEventListener('pagehide', flush);
      document.addEventListener('visibilitychange', flush);
      if (outcome.kind === 'unreadable') setNotice({ reason: outcome.reason, asideKey: outcome.asideKey, raw: outcome.raw });
      setReady(true);
    };
    if (outcome.kind === 'unreadable' && !outcome.asideKey) saver.disable();
    // Restoring lays the graph out first (ELK, in a worker); either way the editor starts after.
    const opening = outcome.kind === 'restored' ? openDocument(outcome.doc, { history: false }) : Promise.resolve();
    void opening.then(begin, (e: unknown) => {
      // The saved graph could not be opened: keep it (autosave off, nothing overwrites it) and say so.
      saver.disable();
      if (outcome.kind === 'restored') {
        setNotice({ reason: `it could not be opened (${e instanceof Error ? e.message : 'an unexpected error'})`, asideKey: null, raw: JSON.stringify(outcome.doc) });
      }
      begin();
    });
  }, []);

  return (
    <ReactFlowProvider>
      <main className={narrow ? 'lb-app lb-app--narrow' : 'lb-app'} data-ready={ready ? 'true' : 'false'}>
        <Toolbar
          view={view}
          onView={showView}
          share={<ShareMenu getDocument={getDocument} getViewport={getViewport} onOpen={openDesign} onMessage={notify} exportTrainedModel={exportTrainedModel} trainedModelFiles={trainedModelFiles} />}
        />
        {notice && <RestoreBanner notice={notice} onClose={() => setNotice(null)} />}
        {saveFailed && (
          <div className="lb-banner" role="alert" data-testid="autosave-failed">
            <div>
              <strong>Autosave failed:</strong> this browser’s storage is full or disabled, so your latest changes are not saved here.
              Use Share → Download .json to keep your work; this message stays until a save succeeds.
            </div>
          </div>
        )}
        <div className="lb-workspace">
          {panels.palette ? <Palette /> : <PanelRail name="palette" />}
          <div className="lb-center">
            <FileDropZone onOpen={openDesign} onMessage={notify} className="lb-dropzone">
              <FlowCanvas ready={ready} />
            </FileDropZone>
            {panels.summary ? (
              <div className="lb-summary-wrap">
                <PanelClose name="summary" />
                <SummaryTable />
              </div>
            ) : (
              <PanelRail name="summary" />
            )}
          </div>
          {panels.inspector ? (
            <aside className="lb-side" aria-label="Inspector and problems" data-testid="side">
              <div className="lb-side__bar">
                <PanelClose name="inspector" />
              </div>
              <div className="lb-side__inspector">
                <Inspector />
              </div>
              <DiagnosticsList />
            </aside>
          ) : (
            <PanelRail name="inspector" />
          )}
        </div>
        <section ref={trainRef} className="lb-trainview" aria-label="Training" id="train">
          {/* Mounted once the editor is up: its code arrives after the page, tfjs on the first run. */}
          {ready && <EditorTraining onShowNode={(id) => { showView('design'); useEditorStore.getState().focusNode(id); }} />}
        </section>
        <Toasts />
      </main>
    </ReactFlowProvider>
  );
}
