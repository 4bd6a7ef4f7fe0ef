'use client';
/**
 * A bench for the sharing pieces outside the editor: a small graph on a React Flow canvas with
 * the Share menu, the file drop zone and the `#g=` link opener mounted exactly as the editor
 * mounts them (document getter, replace-with-undo, messages). The browser tests of sharing run
 * against this page.
 */
import '@xyflow/react/dist/style.css';
import '@/components/editor.css';
import { ReactFlow, ReactFlowProvider, type Edge, type Node } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { GraphDocument } from '@/graph-compiler';
import { FileDropZone, ShareMenu, useShareLinkOpener, type OpenedDesign } from '@/components/share';

const START: GraphDocument = {
  format: 'layerboard.graph',
  version: 1,
  name: 'Lab start',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [2] }, position: { x: 0, y: 0 } },
    { id: 'hidden', type: 'Dense', params: { units: 8, activation: 'relu' }, position: { x: 0, y: 120 } },
    { id: 'output', type: 'Dense', params: { units: 1, activation: 'sigmoid' }, position: { x: 0, y: 240 } },
  ],
  edges: [{ source: 'input', target: 'hidden' }, { source: 'hidden', target: 'output' }],
};

interface Message {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

let messageId = 0;

function Lab() {
  const [doc, setDoc] = useState<GraphDocument>(START);
  const [past, setPast] = useState<GraphDocument[]>([]);
  const [messages, setMessages] = useState<Message[]>([]);
  const docRef = useRef(doc);
  docRef.current = doc;
  const canvas = useRef<HTMLDivElement>(null);

  const notify = useCallback((text: string, tone: 'info' | 'error') => {
    setMessages((m) => [...m.slice(-4), { id: ++messageId, text, tone }]);
  }, []);
  const open = useCallback((design: OpenedDesign) => {
    setPast((p) => [...p, docRef.current]);
    setDoc(design.doc);
    notify(`${design.summary} Undo brings back your previous graph.`, 'info');
    for (const m of design.messages) notify(m, 'info');
  }, [notify]);
  const undo = () => {
    if (past.length === 0) return;
    setDoc(past[past.length - 1]);
    setPast(past.slice(0, -1));
  };

  useShareLinkOpener({ onOpen: open, onMessage: notify });

  const nodes = useMemo<Node[]>(() => doc.nodes.map((n, i) => ({
    id: n.id, position: n.position ?? { x: 0, y: 100 * i }, data: { label: `${n.label ?? n.id} · ${n.type}` },
  })), [doc]);
  const edges = useMemo<Edge[]>(() => doc.edges.map((e, i) => ({ id: `e${i}`, source: e.source, target: e.target })), [doc]);

  return (
    <main style={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <header style={{ display: 'flex', gap: 8, alignItems: 'center', padding: 8, borderBottom: '1px solid #ddd' }}>
        <strong data-testid="lab-doc-name">{doc.name ?? 'untitled'}</strong>
        <span data-testid="lab-node-count">{doc.nodes.length} nodes</span>
        <ShareMenu
          getDocument={() => docRef.current}
          getViewport={() => canvas.current?.querySelector<HTMLElement>('.react-flow__viewport') ?? null}
          onOpen={open}
          onMessage={notify}
        />
        <button type="button" className="lb-btn" onClick={undo} disabled={past.length === 0} data-testid="lab-undo">Undo</button>
      </header>
      <ul data-testid="lab-messages" style={{ margin: 0, padding: '4px 8px', listStyle: 'none' }}>
        {messages.map((m) => <li key={m.id} role={m.tone === 'error' ? 'alert' : 'status'} data-tone={m.tone}>{m.text}</li>)}
      </ul>
      <div ref={canvas} style={{ flex: 1, minHeight: 0 }}>
        <FileDropZone onOpen={open} onMessage={notify}>
          <ReactFlow nodes={nodes} edges={edges} fitView proOptions={{ hideAttribution: true }} />
        </FileDropZone>
      </div>
      <pre hidden data-testid="lab-doc-json">{JSON.stringify(doc)}</pre>
    </main>
  );
}

export default function ShareLabPage() {
  return (
    <ReactFlowProvider>
      <Lab />
    </ReactFlowProvider>
  );
}
