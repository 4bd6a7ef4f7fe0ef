'use client';
/**
 * Opens the design carried by the page's `#g=…` fragment, on load and whenever the fragment
 * changes. A link that cannot be read only produces a message; the current graph is untouched.
 * The fragment is removed afterwards, so that reloading the page does not open the link again
 * over later edits.
 */
import { useEffect, useRef } from 'react';
import { decodeLink, LINK_KEY } from '@/lib/share/link';
import { describeOpened, type Notify, type OpenedDesign } from './types';

export interface ShareLinkOpenerOptions {
  /** Replace the graph (as one undo step, so the previous graph stays recoverable). */
  onOpen(design: OpenedDesign): void;
  onMessage: Notify;
  /** Wait until the editor has restored its autosave, so the link replaces that and undo goes back to it. */
  ready?: boolean;
}

function carriesGraph(hash: string): boolean {
  return new RegExp(`(^#|&)${LINK_KEY}=`).test(hash);
}

/** Checks the location's fragment now and on every `hashchange`. */
export function useShareLinkOpener({ onOpen, onMessage, ready = true }: ShareLinkOpenerOptions): void {
  const latest = useRef({ onOpen, onMessage });
  // Declared first, so the check below always calls the latest callbacks.
  useEffect(() => {
    latest.current = { onOpen, onMessage };
  });

  useEffect(() => {
    if (!ready) return;
    const check = () => {
      const { hash, pathname, search } = window.location;
      if (!carriesGraph(hash)) return;
      window.history.replaceState(window.history.state, '', pathname + search);
      const link = decodeLink(hash);
      if (!link.ok) {
        latest.current.onMessage(`${link.message} Your graph was not changed.`, 'error');
        return;
      }
      latest.current.onOpen({
        doc: link.doc, result: link.result, source: 'link', messages: [],
        summary: describeOpened(link.doc, link.result, 'the link'),
      });
    };
    check();
    window.addEventListener('hashchange', check);
    return () => window.removeEventListener('hashchange', check);
  }, [ready]);
}
