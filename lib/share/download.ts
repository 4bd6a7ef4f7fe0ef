/**
 * Browser glue: saving bytes or text as a file the person downloads, and copying a link.
 * The only DOM in lib/share besides `image-export.ts`.
 */

/** Starts a download of `data` named `fileName`. */
export function downloadFile(fileName: string, data: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Copies text to the clipboard; false when the browser refuses (no permission, not a secure
 * context), so that the caller can show the text for copying by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
