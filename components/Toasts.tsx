'use client';
/** Short messages at the bottom of the screen: refused connections, copies, autosave trouble. */
import { useEditorStore } from '@/lib/store';

export function Toasts() {
  const toasts = useEditorStore((s) => s.toasts);
  return (
    <div className="lb-toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`lb-toast lb-toast--${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
          <span>{t.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => useEditorStore.getState().dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
