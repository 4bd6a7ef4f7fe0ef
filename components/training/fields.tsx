'use client';
/**
 * The panel's form fields. A number field keeps what is being typed as a draft and commits
 * only a valid value, so that typing "0." or "1e-" never reaches the document half-done.
 */
import { useId, useState, type ReactNode } from 'react';

interface RowProps {
  label: string;
  htmlFor?: string;
  help?: ReactNode;
  error?: string | null;
  children: ReactNode;
}

/** A label, a control, and a message or help line under it. */
export function FieldRow({ label, htmlFor, help, error, children }: RowProps) {
  return (
    <div className="lb-train-field">
      {htmlFor ? <label htmlFor={htmlFor}>{label}</label> : <span className="lb-train-label">{label}</span>}
      {children}
      {error ? <p className="lb-train-field__msg">{error}</p> : help ? <p className="lb-train-field__help">{help}</p> : null}
    </div>
  );
}

export interface NumberFieldProps {
  label: string;
  value: number;
  onCommit(value: number): void;
  min?: number;
  max?: number;
  /** Exclusive bounds, for messages and checks. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
  step?: number | 'any';
  testId?: string;
  help?: ReactNode;
  disabled?: boolean;
  /** A problem the document has with this field (from checkTraining). */
  problem?: string | null;
}

function describe(p: NumberFieldProps): string {
  const parts: string[] = [];
  if (p.min !== undefined) parts.push(`${p.minExclusive ? '>' : '≥'} ${p.min}`);
  if (p.max !== undefined) parts.push(`${p.maxExclusive ? '<' : '≤'} ${p.max}`);
  return `${p.integer ? 'a whole number' : 'a number'}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

export function NumberField(props: NumberFieldProps) {
  const { label, value, onCommit, min, max, minExclusive, maxExclusive, integer, step, testId, help, disabled, problem } = props;
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onChange = (text: string) => {
    setDraft(text);
    const v = text.trim() === '' ? NaN : Number(text);
    const bad = !Number.isFinite(v)
      || (integer && !Number.isInteger(v))
      || (min !== undefined && (minExclusive ? v <= min : v < min))
      || (max !== undefined && (maxExclusive ? v >= max : v > max));
    if (bad) {
      setError(`Enter ${describe(props)}.`);
      return;
    }
    setError(null);
    if (v !== value) onCommit(v);
  };

  const shown = draft ?? String(value);
  const message = error ?? problem ?? null;
  return (
    <FieldRow label={label} htmlFor={id} help={help} error={message}>
      <input
        id={id}
        className="lb-train-input lb-train-input--num"
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        value={shown}
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 'any')}
        disabled={disabled}
        aria-invalid={message ? true : undefined}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => {
          if (!error) setDraft(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          if (e.key === 'Escape') {
            setDraft(null);
            setError(null);
            e.currentTarget.blur();
          }
        }}
      />
    </FieldRow>
  );
}

export interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
  testId?: string;
  help?: ReactNode;
  disabled?: boolean;
  problem?: string | null;
}

export function SelectField<T extends string>({ label, value, options, onChange, testId, help, disabled, problem }: SelectFieldProps<T>) {
  const id = useId();
  return (
    <FieldRow label={label} htmlFor={id} help={help} error={problem}>
      <select
        id={id}
        className="lb-train-input"
        value={value}
        disabled={disabled}
        data-testid={testId}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldRow>
  );
}

export function Switch({ checked, onChange, label, testId, disabled }: { checked: boolean; onChange(v: boolean): void; label: string; testId?: string; disabled?: boolean }) {
  return (
    <label className="lb-train-switch">
      <input type="checkbox" checked={checked} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.checked)} />
      <span className="lb-train-switch__track" aria-hidden />
      {label}
    </label>
  );
}

/** A slider with its value beside it, for the 2-D sets' noise and ratio. */
export function RangeField({ label, value, min, max, step, format, onCommit, testId, disabled }: {
  label: string; value: number; min: number; max: number; step: number; format(v: number): string; onCommit(v: number): void; testId?: string; disabled?: boolean;
}) {
  const id = useId();
  return (
    <FieldRow label={label} htmlFor={id}>
      <div className="lb-train-range">
        <input
          id={id}
          type="range"
          min={min}
          max={max}
          step={step}
          value={value}
          disabled={disabled}
          data-testid={testId}
          onChange={(e) => onCommit(Number(e.target.value))}
        />
        <output htmlFor={id}>{format(value)}</output>
      </div>
    </FieldRow>
  );
}
