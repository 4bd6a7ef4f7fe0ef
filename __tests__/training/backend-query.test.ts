/** `?backend=cpu` in the page address chooses the run bar's Backend. */
import { backendFromQuery } from '@/lib/training/host';

test.each([
  ['?backend=cpu', 'cpu'],
  ['?backend=WebGL', 'webgl'],
  ['?x=1&backend=auto', 'auto'],
  ['?backend=wasm', null],
  ['', null],
] as const)('%s → %s', (search, choice) => {
  expect(backendFromQuery(search)).toBe(choice);
});
