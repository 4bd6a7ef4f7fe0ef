'use client';
/**
 * One inspector field, generated from a param declaration: a number field with its limits, a
 * choice, a switch, or a text field for shapes and pairs. Typing is validated against the
 * param's schema; a bad value shows a message beside the field and never reaches the document.
 */
import { useId, useState, type ChangeEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { Diagnostic, ParamSpec } from '@/graph-compiler';
import { formatParam, humanize, parseParam, placeholderFor } from '@/lib/param-input';

export interface ParamFieldProps {
  name: string;
  spec: ParamSpec;
  /** The value in the document (undefined when the param is left to its default). */
  raw: unknown;
  /** The compiler's diagnostics about this param. */
  diagnostics: readonly Diagnostic[];
  onCommit(value: unknown): void;
}

function limits(spec: ParamSpec): { min?: number; max?: number; step?: number | 'any' } {
  if (spec.kind === 'int') return { min: spec.min, max: spec.max, step: 1 };
  if (spec.kind === 'float') return { min: spec.min, max: spec.max, step: 'any' };
  return {};
}

function rangeText(spec: ParamSpec): string | null {
  if (spec.kind !== 'int' && spec.kind !== 'float') return null;
  const lo = spec.min === undefined ? null : `${spec.kind === 'float' && spec.minExclusive ? '>' : '≥'} ${spec.min}`;
  const hi = spec.max === undefined ? null : `${spec.kind === 'float' && spec.maxExclusive ? '<' : '≤'} ${spec.max}`;
  return [lo, hi].filter(Boolean).join(', ') || null;
}

export function ParamField({ name, spec, raw, diagnostics, onCommit }: ParamFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const label = humanize(name);
  const shown = draft ?? formatParam(spec, raw);

  const commitText = (text: string, badInput = false) => {
    setDraft(text);
    if (badInput) {
      setError(`Enter ${spec.describe}.`);
      return;
    }
    const parsed = parseParam(spec, text);
    if (parsed.ok) {
      setError(null);
      onCommit(parsed.value);
    } else setError(parsed.message);
  };

  const onBlur = () => {
    if (!error) setDraft(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      setDraft(null);
      setError(null);
      e.currentTarget.blur();
    } else if (e.key === 'Enter') e.currentTarget.blur();
  };

  let control: ReactNode;
  if (spec.kind === 'choice') {
    const value = typeof raw === 'string' ? raw : String(spec.default ?? '');
    const known = spec.options.includes(value);
    control = (
      <select id={id} className="lb-input lb-select" value={value} onChange={(e) => onCommit(e.target.value)} data-param={name}>
        {!known && (
          <option value={value} disabled>
            {value || '(choose)'}
          </option>
        )}
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'bool') {
    const checked = typeof raw === 'boolean' ? raw : spec.default === true;
    control = (
      <label className="lb-switch">
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onCommit(e.target.checked)} data-param={name} />
        <span className="lb-switch__track" aria-hidden />
        <span className="lb-switch__text">{checked ? 'on' : 'off'}</span>
      </label>
    );
  } else {
    const numeric = spec.kind === 'int' || spec.kind === 'float';
    control = (
      <input
        id={id}
        className={`lb-input${numeric ? ' lb-input--num' : ''}`}
        type={numeric ? 'number' : 'text'}
        inputMode={numeric ? (spec.kind === 'int' ? 'numeric' : 'decimal') : 'text'}
        {...limits(spec)}
        value={shown}
        placeholder={placeholderFor(name, spec)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        spellCheck={false}
        autoComplete="off"
        onChange={(e: ChangeEvent<HTMLInputElement>) => commitText(e.target.value, e.target.validity?.badInput ?? false)}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
        data-param={name}
      />
    );
  }

  const range = rangeText(spec);
  const compilerErrors = diagnostics.filter((d) => d.severity === 'error');
  const state = error || compilerErrors.length ? 'error' : diagnostics.length ? 'warning' : null;
  return (
    <div className={`lb-field${state ? ` lb-field--${state}` : ''}`} data-testid={`field-${name}`}>
      <div className="lb-field__row">
        <label className="lb-field__label" htmlFor={id} title={`${name}: ${spec.describe}`}>
          {label}
          {spec.required && <span className="lb-required" aria-label="required">*</span>}
        </label>
        <div className="lb-field__control">{control}</div>
      </div>
      <div id={`${id}-msg`} className="lb-field__msgs" aria-live="polite">
        {error && (
          <p className="lb-field__msg lb-field__msg--error" role="alert" data-testid={`field-error-${name}`}>
            {error}
            {raw !== undefined && <> Not applied: the layer keeps {formatParam(spec, raw)}.</>}
          </p>
        )}
        {diagnostics.map((d, i) => (
          <p key={i} className={`lb-field__msg lb-field__msg--${d.severity}`}>
            {d.message}
          </p>
        ))}
        {!error && diagnostics.length === 0 && (
          <p className="lb-field__help">
            {spec.help}
            {range && <span className="lb-field__range"> · {range}</span>}
          </p>
        )}
      </div>
    </div>
  );
}
