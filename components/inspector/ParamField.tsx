'use client';
/**
 * One field generated from a param declaration: a number field with its limits (or a slider
 * for a bounded number), a choice, a switch, or a text field for shapes and pairs. Typing is
 * validated against the param's schema; a bad value shows a message beside the field and never
 * reaches the document. The inspector builds a layer's form from these, and the training form
 * its fields (declared with the same builders); the controls are the shared ones of
 * `components/fields`.
 */
import { useId, type ReactNode } from 'react';
import type { Diagnostic, ParamSpec } from '@/graph-compiler';
import { FieldError, FieldHelp, FieldRow, Range, Select, Switch, useDraft, type Parsed } from '@/components/fields';
import { formatParam, humanize, parseParam, placeholderFor } from '@/lib/param-input';

export interface ParamFieldProps {
  name: string;
  spec: ParamSpec;
  /** The value in the document (undefined when the param is left to its default). */
  raw: unknown;
  /** The compiler's diagnostics about this param. */
  diagnostics?: readonly Diagnostic[];
  onCommit(value: unknown): void;
  /** The label; the param's name in words by default. */
  label?: string;
  /** The help line; by default the param's help and its range. `null` for none. */
  help?: ReactNode;
  /** The control's test id. */
  testId?: string;
  /** Words for a choice's options (its values by default). */
  optionLabels?: Readonly<Partial<Record<string, string>>>;
  /** Shows a number as a slider over this range, with its value beside it. */
  slider?: { min: number; max: number; step: number; format?(v: number): string };
  /** The number input's step (1 for whole numbers, any by default). */
  step?: number;
  /** The text beside a switch (on / off by default). */
  switchText?: string;
  /** A problem the document has with this value, shown as an error. */
  problem?: string | null;
  /**
   * `layer` (default): an empty optional field falls back to the default and a bad value says
   * what the layer keeps. `form`: the field always holds a value, and a bad one says what to enter.
   */
  mode?: 'layer' | 'form';
}

function limits(spec: ParamSpec, step?: number): { min?: number; max?: number; step?: number | 'any' } {
  if (spec.kind === 'int') return { min: spec.min, max: spec.max, step: step ?? 1 };
  if (spec.kind === 'float') return { min: spec.min, max: spec.max, step: step ?? 'any' };
  return {};
}

function rangeText(spec: ParamSpec): string | null {
  if (spec.kind !== 'int' && spec.kind !== 'float') return null;
  const lo = spec.min === undefined ? null : `${spec.kind === 'float' && spec.minExclusive ? '>' : '≥'} ${spec.min}`;
  const hi = spec.max === undefined ? null : `${spec.kind === 'float' && spec.maxExclusive ? '<' : '≤'} ${spec.max}`;
  return [lo, hi].filter(Boolean).join(', ') || null;
}

export function ParamField(props: ParamFieldProps) {
  const { name, spec, raw, diagnostics = [], onCommit, testId, optionLabels, slider, step, switchText, problem, mode = 'layer' } = props;
  const id = useId();
  const form = mode === 'form';
  const label = props.label ?? humanize(name);

  const parse = (text: string, badInput: boolean): Parsed => {
    if (badInput) return { ok: false, message: `Enter ${spec.describe}.` };
    const parsed = parseParam(spec, text);
    if (form && (!parsed.ok || parsed.value === undefined)) return { ok: false, message: `Enter ${spec.describe}.` };
    return parsed;
  };
  const { error, inputProps } = useDraft(formatParam(spec, raw), parse, (value) => {
    if (value !== raw) onCommit(value);
  });

  let control: ReactNode;
  if (spec.kind === 'choice') {
    const value = typeof raw === 'string' ? raw : String(spec.default ?? '');
    const known = spec.options.includes(value);
    const options = spec.options.map((o) => ({ value: o, label: optionLabels?.[o] ?? o }));
    control = (
      <Select
        id={id}
        value={value}
        options={known ? options : [{ value, label: value || '(choose)', disabled: true }, ...options]}
        onChange={onCommit}
        invalid={!!problem}
        testId={testId}
        data-param={name}
      />
    );
  } else if (spec.kind === 'bool') {
    const checked = typeof raw === 'boolean' ? raw : spec.default === true;
    control = <Switch id={id} checked={checked} onChange={onCommit} text={switchText ?? (checked ? 'on' : 'off')} testId={testId} inputProps={{ 'data-param': name }} />;
  } else if (slider && (spec.kind === 'float' || spec.kind === 'int')) {
    const value = typeof raw === 'number' ? raw : Number(spec.default ?? slider.min);
    control = (
      <Range id={id} value={value} min={slider.min} max={slider.max} step={slider.step} format={slider.format} onChange={onCommit} testId={testId} inputProps={{ 'data-param': name }} />
    );
  } else {
    const numeric = spec.kind === 'int' || spec.kind === 'float';
    control = (
      <input
        id={id}
        className={`lb-input${numeric ? ' lb-input--num' : ''}`}
        type={numeric ? 'number' : 'text'}
        inputMode={numeric ? (spec.kind === 'int' ? 'numeric' : 'decimal') : 'text'}
        {...limits(spec, step)}
        {...inputProps}
        aria-invalid={error || problem ? true : undefined}
        placeholder={form ? undefined : placeholderFor(name, spec)}
        aria-describedby={`${id}-msg`}
        spellCheck={false}
        autoComplete="off"
        data-param={name}
        data-testid={testId}
      />
    );
  }

  const range = rangeText(spec);
  const compilerErrors = diagnostics.filter((d) => d.severity === 'error');
  const state = error || problem || compilerErrors.length ? 'error' : diagnostics.length ? 'warning' : null;
  const help = props.help !== undefined ? props.help : (
    <>
      {spec.help}
      {range && <span className="lb-field__range"> · {range}</span>}
    </>
  );
  const messages = (
    <>
      {error && (
        <FieldError testId={`field-error-${name}`}>
          {error}
          {!form && raw !== undefined && <> Not applied: the layer keeps {formatParam(spec, raw)}.</>}
        </FieldError>
      )}
      {!error && problem && <FieldError>{problem}</FieldError>}
      {diagnostics.map((d, i) => (
        <p key={i} className={`lb-field__msg lb-field__msg--${d.severity}`}>
          {d.message}
        </p>
      ))}
      {!error && !problem && diagnostics.length === 0 && help !== null && <FieldHelp>{help}</FieldHelp>}
    </>
  );
  return (
    <FieldRow
      label={label}
      htmlFor={id}
      title={`${name}: ${spec.describe}`}
      required={spec.required && !form}
      state={state}
      messagesId={`${id}-msg`}
      messages={messages}
      testId={testId ? `field-${testId}` : `field-${name}`}
    >
      {control}
    </FieldRow>
  );
}
