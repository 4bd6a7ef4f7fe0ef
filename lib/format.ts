/** Display formatting for the editor. Shapes come from the compiler; this only writes them. */

/** `[28, 28, 6]` → `28×28×6`: the compact form used on nodes and edges. */
export function compactShape(shape: readonly number[]): string {
  return shape.join('×');
}

/**
 * `61706` → `61,706`, as the compiler's `thousands` prints it, without building a number
 * formatter per call (the canvas formats hundreds of counts per edit).
 */
export function groupThousands(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString('en-US');
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}
