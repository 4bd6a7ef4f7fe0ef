'use client';
/**
 * The form controls of the inspector and the training form: one layout (label, control, and a
 * message or help line under it), a text or number input that keeps what is being typed as a
 * draft and commits only a valid value, a select, a switch and a slider with its value. The
 * inspector's ParamField builds its fields from these, and the training form uses ParamField
 * and these directly, so the two look and behave the same. Styles: the `lb-field`, `lb-input`,
 * `lb-switch` and `lb-range` rules of `components/editor.css`.
 */
import { useState, type ChangeEvent, type KeyboardEvent, type ReactNode, type SelectHTMLAttributes } from 'react';

export type FieldState = 'error' | 'warning' | null;

export interface FieldRowProps {
  label: ReactNode;
  /** The control's id; without it the label is plain text (for a group of controls). */
  htmlFor?: string;
  /** The label's tooltip. */
  title?: string;
  required?: boolean;
  state?: FieldState;
  /** The id of the message line, for the control's aria-describedby. */
  messagesId?: string;
  /** Messages under the control (errors, warnings) or its help line. */
  messages?: ReactNode;
  testId?: string;
  children: ReactNode;
}

/** A label and a control on one row, with messages or help under the control. */
export function FieldRow({ label, htmlFor, title, required, state, messagesId, messages, testId, children }: FieldRowProps) {
  return (
    <div className={`lb-field${state ? ` lb-field--${state}` : ''}`} data-testid={testId}>
      <div className="lb-field__row">
        {htmlFor ? (
          <label className="lb-field__label" htmlFor={htmlFor} title={title}>
            {label}
            {required && <span className="lb-required" aria-label="required">*</span>}
          </label>
        ) : (
          <span className="lb-field__label" title={title}>{label}</span>
        )}
        <div className="lb-field__control">{children}</div>
      </div>
      <div id={messagesId} className="lb-field__msgs" aria-live="polite">
        {messages}
      </div>
    </div>
  );
}

/** An error message under a field. */
export function FieldError({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="lb-field__msg lb-field__msg--error" role="alert" data-testid={testId}>
      {children}
    </p>
  );
}

/** The help line under a field. */
export function FieldHelp({ children }: { children: ReactNode }) {
  return <p className="lb-field__help">{children}</p>;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * A draft while typing: `text` is the committed value's text; each keystroke is parsed, a valid
 * value is committed at once, a bad one keeps the draft and gives the message. Leaving the field
 * drops a valid draft (the field shows the committed value again); Enter leaves the field,
 * Escape reverts to the committed value.
 */
export function useDraft(text: string, parse: (text: string, badInput: boolean) => Parsed, onCommit: (value: unknown) => void) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputProps = {
    value: draft ?? text,
    'aria-invalid': error ? true : undefined,
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const t = e.target.value;
      setDraft(t);
      const parsed = parse(t, e.target.validity?.badInput ?? false);
      if (parsed.ok) {
        setError(null);
        onCommit(parsed.value);
      } else setError(parsed.message);
    },
    onBlur: () => {
      if (!error) setDraft(null);
    },
    onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'Escape') {
        setDraft(null);
        setError(null);
        e.currentTarget.blur();
      } else if (e.key === 'Enter') e.currentTarget.blur();
    },
  };
  return { error, inputProps };
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> {
  value: string;
  /** The options; omit to pass `<option>`/`<optgroup>` children. */
  options?: readonly { value: string; label: string; disabled?: boolean }[];
  onChange(value: string): void;
  invalid?: boolean;
  testId?: string;
}

export function Select({ value, options, onChange, invalid, testId, className, children, ...rest }: SelectProps) {
  return (
    <select
      {...rest}
      className={`lb-input lb-select${className ? ` ${className}` : ''}`}
      value={value}
      aria-invalid={invalid ? true : undefined}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value)}
    >
      {options?.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
      {children}
    </select>
  );
}

export interface SwitchProps {
  checked: boolean;
  onChange(checked: boolean): void;
  /** The text beside the switch. */
  text: ReactNode;
  id?: string;
  testId?: string;
  disabled?: boolean;
  /** Extra attributes for the checkbox (e.g. `data-param`). */
  inputProps?: Record<string, string>;
}

export function Switch({ checked, onChange, text, id, testId, disabled, inputProps }: SwitchProps) {
  return (
    <label className="lb-switch">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.checked)} {...inputProps} />
      <span className="lb-switch__track" aria-hidden />
      <span className="lb-switch__text">{text}</span>
    </label>
  );
}

export interface RangeProps {
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
  format?(value: number): string;
  id?: string;
  testId?: string;
  disabled?: boolean;
  inputProps?: Record<string, string>;
}

/** A slider with its value beside it. */
export function Range({ value, min, max, step, onChange, format = String, id, testId, disabled, inputProps }: RangeProps) {
  return (
    <div className="lb-range">
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => onChange(Number(e.target.value))}
        {...inputProps}
      />
      <output htmlFor={id}>{format(value)}</output>
    </div>
  );
}
