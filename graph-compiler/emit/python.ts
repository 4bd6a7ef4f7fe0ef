/** Small helpers for writing Python source: literals and keyword arguments. */

/** A Python string literal. */
export function pyStr(s: string): string {
  return JSON.stringify(s);
}

const UNSAFE = /[^\x20-\x7e\u00a0-\u200a\u2010-\u2027\u2030-\u2065\u2070-\ud7ff\ue000-\ufefe\uff00-\ufffd]/gu;

function escapeCodePoint(c: string): string {
  const cp = c.codePointAt(0)!;
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

/**
 * Text for a `#` comment: every character that could end the line (or break the file, or hide
 * as something else: NUL, bidirectional overrides, zero-width marks) written as an escape.
 */
export function pyCommentText(s: string): string {
  return s.replace(UNSAFE, escapeCodePoint);
}

/**
 * Text for inside a `"""…"""` docstring: as for a comment, and backslashes and quotes escaped, so
 * a document's name can never close the docstring and become code.
 */
export function pyDocText(s: string): string {
  return s.replace(/[\\"]/g, (c) => `\\${c}`).replace(UNSAFE, escapeCodePoint);
}

/** Python's keywords (soft ones included) and the names of its builtins: never a variable's name. */
const PY_RESERVED = new Set((
  'False None True and as assert async await break class continue def del elif else except finally for from global if '
  + 'import in is lambda nonlocal not or pass raise return try while with yield _ case match '
  + 'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError '
  + 'BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError '
  + 'ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup '
  + 'FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning '
  + 'IndentationError IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError '
  + 'ModuleNotFoundError NameError NotADirectoryError NotImplemented NotImplementedError OSError OverflowError '
  + 'PendingDeprecationWarning PermissionError ProcessLookupError RecursionError ReferenceError ResourceWarning '
  + 'RuntimeError RuntimeWarning StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit '
  + 'TabError TimeoutError TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError '
  + 'UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError abs aiter all anext any '
  + 'ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr dict '
  + 'dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input '
  + 'int isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow print '
  + 'property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip'
).split(' '));

/**
 * A Python identifier made from any text (a node id): characters that cannot be in a name
 * become `_`, a leading digit gets `n_` and a leading `__` gets `n`, and a keyword, a builtin or one of
 * `reserved` (the names the script itself uses: modules, its functions) gets a trailing `_`,
 * so that a document can never hide a name the generated code relies on.
 */
export function pyIdent(text: string, reserved: ReadonlySet<string> = new Set()): string {
  let v = text.replace(/\W/g, '_') || '_';
  if (/^\d/.test(v)) v = `n_${v}`;
  else if (v.startsWith('__')) v = `n${v}`;
  while (PY_RESERVED.has(v) || reserved.has(v)) v = `${v}_`;
  return v;
}

/** A Python tuple literal: `(3, 3)`, `(10,)`. */
export function pyTuple(xs: readonly (number | string)[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}

export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** One constructor call of a Keras layer, without its `name=`. */
export interface KerasCall {
  /** e.g. `layers.Conv2D`, or a class the script defines, e.g. `Maxout`. */
  cls: string;
  /** Positional and keyword arguments as Python source. */
  args: string[];
}

/** `kernel_regularizer=keras.regularizers.L1L2(l1=..., l2=...)` when any factor is set. */
export function pyRegularizer(p: { l1?: number; l2?: number }, arg = 'kernel_regularizer'): string[] {
  const l1 = p.l1 ?? 0;
  const l2 = p.l2 ?? 0;
  if (l1 === 0 && l2 === 0) return [];
  if (l2 === 0) return [`${arg}=keras.regularizers.L1(${l1})`];
  if (l1 === 0) return [`${arg}=keras.regularizers.L2(${l2})`];
  return [`${arg}=keras.regularizers.L1L2(l1=${l1}, l2=${l2})`];
}

/** Keyword arguments for a param only when it differs from its default. */
export function kw(name: string, value: string, isDefault: boolean): string[] {
  return isDefault ? [] : [`${name}=${value}`];
}
