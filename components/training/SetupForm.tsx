'use client';
/**
 * Setting up a run: the data set and its options, the optimizer, the loss, the schedule, early
 * stopping and the seed. Every change goes to the document's `training` block, so that a shared
 * graph carries the whole experiment. Below the form, the graph and the data are checked
 * together; an error there keeps Start disabled.
 *
 * The data part is generated from the data set registry: the picker from the specs and their
 * groups, the options from the fields each data set declares (`DatasetSpec.fields`, declared in
 * `graph-compiler/datasets/fields.ts` with the layers' param builders). The controls are the
 * panel's own (`fields.tsx`): the inspector's `ParamField` has no slider, takes no test ids and
 * is styled by the editor's stylesheet, which the training lab page does not load.
 */
import { useRef } from 'react';
import {
  MONITORS,
  OPTIMIZERS,
  LOSSES,
  type Dataset as DatasetId,
  type Diagnostic,
  type Loss,
  type Optimizer,
  type TrainingBlock,
  type TrainingSettings,
} from '@/graph-compiler';
import { DATASET_FIELDS, DATASET_GROUPS, DATASET_SPECS, datasetSpec, isPlaygroundId, playgroundSet, type DatasetFieldName } from '@/graph-compiler/datasets';
import type { InfoOutcome, UploadLike } from '@/lib/training/dataset-info';
import { LOSS_TITLES, type LossName } from '@/lib/training/loss';
import type { MemoryEstimate } from '@/lib/training/memory';
import { OPTIMIZER_TITLES } from '@/lib/training/optimizer';
import { FieldRow, NumberField, RangeField, SelectField, Switch } from './fields';

export interface SetupFormProps {
  settings: TrainingSettings;
  /** Problems of the training block, by field (bad values in a shared document). */
  fieldProblems: Record<string, string>;
  update(patch: TrainingBlock): void;
  /** While a run is in progress the setup is read-only. */
  locked: boolean;
  upload: UploadLike | null;
  uploadError: string | null;
  uploadProgress: number | null;
  info: InfoOutcome;
  /** The loss "auto" stands for, when the output is known. */
  autoLoss: LossName | null;
  checks: Diagnostic[];
  memory: MemoryEstimate | null;
  onCsv(file: File): void;
  onImages(files: File[]): void;
  onSelectNode?(id: string): void;
}

const MONITOR_TITLES: Record<(typeof MONITORS)[number], string> = {
  val_loss: 'validation loss',
  val_acc: 'validation accuracy',
  loss: 'training loss',
  acc: 'training accuracy',
};

function DataSourceNote({ settings, info, upload }: Pick<SetupFormProps, 'settings' | 'info' | 'upload'>) {
  const id = settings.dataset;
  if (id === 'mnist') return <p className="lb-train-source">{datasetSpec(id).description}</p>;
  if (isPlaygroundId(id)) {
    const nTrain = playgroundSet(id).trainCount!(settings, info)!;
    return <p className="lb-train-source">{settings.samples} points from seed {settings.seed}: {nTrain} to train on, {settings.samples - nTrain} to test. Coordinates span −6 to 6 and enter the model divided by 6.</p>;
  }
  if (id === 'csv' && upload?.kind === 'csv' && info.csv) return <p className="lb-train-source">{info.csv.source}</p>;
  if (id === 'images' && upload?.kind === 'images' && info.info) {
    const classes = info.info.classNames;
    return (
      <p className="lb-train-source">
        {upload.label}: {classes.length} classes ({classes.slice(0, 5).join(', ')}{classes.length > 5 ? ', …' : ''}). Each image is centre-cropped and resized to the Input&apos;s shape when training starts; 20% of each class is kept for the test.
      </p>
    );
  }
  return null;
}

/** Test ids the browser tests find the data set fields by. */
const FIELD_TEST_IDS: Record<DatasetFieldName, string> = {
  noise: 'train-noise',
  trainRatio: 'train-ratio',
  samples: 'train-samples',
  labelColumn: 'csv-label',
  task: 'csv-task',
};

const percent = (v: number) => `${Math.round(v * 100)}%`;

/** One data set field, drawn from its declaration. Column fields need the uploaded table's header. */
function DatasetField({ name, settings, header, update, problem }: {
  name: DatasetFieldName; settings: TrainingSettings; header: string[]; update(patch: TrainingBlock): void; problem?: string;
}) {
  const decl = DATASET_FIELDS[name];
  const testId = FIELD_TEST_IDS[name];
  if (decl.kind === 'column') {
    const chosen = settings.labelColumn;
    const value = chosen && header.includes(chosen) ? chosen : header[header.length - 1] ?? '';
    return <SelectField label={decl.label} value={value} options={header.map((h) => ({ value: h, label: h }))} onChange={(v) => update({ [name]: v })} testId={testId} problem={problem} />;
  }
  if (decl.kind === 'choice') {
    return (
      <SelectField
        label={decl.label}
        value={String(settings[name as 'task'])}
        options={decl.param.options.map((o) => ({ value: o, label: decl.titles[o] ?? o }))}
        onChange={(v) => update({ [name]: v })}
        testId={testId}
        problem={problem}
      />
    );
  }
  const value = settings[name as 'noise' | 'trainRatio' | 'samples'];
  const control = 'control' in decl ? decl.control : undefined;
  if (control?.slider) {
    const { min, max, step } = control.slider;
    return <RangeField label={decl.label} value={value} min={min} max={max} step={step} format={control.percent ? percent : String} onCommit={(v) => update({ [name]: v })} testId={testId} />;
  }
  const p = decl.param;
  return (
    <NumberField
      label={decl.label}
      value={value}
      integer={p.kind === 'int'}
      min={p.min}
      max={p.max}
      minExclusive={p.kind === 'float' ? p.minExclusive : undefined}
      maxExclusive={p.kind === 'float' ? p.maxExclusive : undefined}
      onCommit={(v) => update({ [name]: v })}
      problem={problem}
      testId={testId}
    />
  );
}

function FilePicker({ label, accept, directory, multiple, onFiles, disabled, testId }: {
  label: string; accept?: string; directory?: boolean; multiple?: boolean; onFiles(files: File[]): void; disabled?: boolean; testId?: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="lb-train-btn lb-train-btn--small" disabled={disabled} onClick={() => ref.current?.click()}>
        {label}
      </button>
      <input
        ref={(el) => {
          ref.current = el;
          if (el && directory) el.setAttribute('webkitdirectory', '');
        }}
        type="file"
        accept={accept}
        multiple={multiple || directory}
        data-testid={testId}
        hidden
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}

export function SetupForm(props: SetupFormProps) {
  const { settings: s, fieldProblems, update, locked, upload, uploadError, uploadProgress, info, autoLoss, checks, memory } = props;
  const es = s.earlyStopping;
  const setEs = (patch: Partial<typeof es>) => update({ earlyStopping: { ...es, ...patch } });
  const errors = checks.filter((d) => d.severity === 'error');
  const csvHeader = upload?.kind === 'csv' ? upload.table.header : [];
  const spec = datasetSpec(s.dataset);
  // Fields of a data set that needs a file appear once the file is chosen.
  const fields = spec.upload && upload?.kind !== spec.upload ? [] : spec.fields;
  const fieldRows = fields.map((name) => <DatasetField key={name} name={name} settings={s} header={csvHeader} update={update} problem={fieldProblems[name]} />);

  return (
    <div className="lb-train-card" aria-label="Training setup">
      <fieldset disabled={locked} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
        <div className="lb-train-group">
          <h3 className="lb-train-h">Data</h3>
          <FieldRow label="Data set" htmlFor="lb-train-dataset" error={fieldProblems.dataset}>
            <select
              id="lb-train-dataset"
              className="lb-train-input"
              data-testid="dataset-select"
              value={s.dataset}
              onChange={(e) => update({ dataset: e.target.value as DatasetId })}
            >
              {DATASET_GROUPS.map((g) => (
                <optgroup key={g.id} label={g.title}>
                  {DATASET_SPECS.filter((d) => d.group === g.id).map((d) => (
                    <option key={d.id} value={d.id} title={d.description}>
                      {d.title}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </FieldRow>

          {!spec.upload && fieldRows}

          {s.dataset === 'csv' && (
            <>
              <FieldRow label="File" error={uploadError}>
                <div className="lb-train-file">
                  <FilePicker label={upload?.kind === 'csv' ? 'Choose another…' : 'Choose a CSV…'} accept=".csv,.tsv,.txt,text/csv" onFiles={(f) => props.onCsv(f[0])} testId="csv-file" />
                  {upload?.kind === 'csv' && <span className="lb-train-muted lb-train-mono" style={{ alignSelf: 'center' }}>{upload.fileName}</span>}
                </div>
              </FieldRow>
              {fieldRows}
              {info.error && <p className="lb-train-check lb-train-check--error" role="alert" data-testid="data-error">{info.error}</p>}
            </>
          )}

          {s.dataset === 'images' && (
            <>
              <FieldRow label="Images" error={uploadError} help="One sub-folder per class (cat/…, dog/…), or files named by class (cat_1.png).">
                <div className="lb-train-file">
                  <FilePicker label="Choose a folder…" directory onFiles={props.onImages} testId="images-folder" />
                  <FilePicker label="Files…" accept="image/*" multiple onFiles={props.onImages} testId="images-files" />
                </div>
              </FieldRow>
              {uploadProgress !== null && <p className="lb-train-note">Reading images… {Math.round(uploadProgress * 100)}%</p>}
              {info.error && <p className="lb-train-check lb-train-check--error" role="alert" data-testid="data-error">{info.error}</p>}
            </>
          )}
          <DataSourceNote settings={s} info={info} upload={upload} />
        </div>

        <div className="lb-train-group">
          <h3 className="lb-train-h">Optimizer</h3>
          <SelectField<Optimizer>
            label="Optimizer"
            value={s.optimizer}
            options={OPTIMIZERS.map((o) => ({ value: o, label: OPTIMIZER_TITLES[o] }))}
            onChange={(optimizer) => update({ optimizer })}
            testId="train-optimizer"
          />
          <NumberField label="Learning rate" value={s.learningRate} min={0} minExclusive onCommit={(learningRate) => update({ learningRate })} problem={fieldProblems.learningRate} testId="train-lr" />
          {s.optimizer === 'momentum' && (
            <NumberField label="Momentum" value={s.momentum} min={0} max={1} maxExclusive step={0.05} onCommit={(momentum) => update({ momentum })} problem={fieldProblems.momentum} testId="train-momentum" />
          )}
          <SelectField<Loss>
            label="Loss"
            value={s.loss}
            options={LOSSES.map((l) => ({ value: l, label: l === 'auto' ? `Auto${autoLoss ? ` · ${LOSS_TITLES[autoLoss].toLowerCase()}` : ''}` : LOSS_TITLES[l] }))}
            onChange={(loss) => update({ loss })}
            testId="train-loss"
            problem={fieldProblems.loss}
          />
          <p className="lb-train-note">L1/L2 penalties and Dropout are set on the layers of the graph.</p>
        </div>

        <div className="lb-train-group">
          <h3 className="lb-train-h">Schedule</h3>
          <NumberField label="Batch size" value={s.batchSize} integer min={1} onCommit={(batchSize) => update({ batchSize })} problem={fieldProblems.batchSize} testId="train-batch" />
          <NumberField label="Epochs" value={s.epochs} integer min={1} onCommit={(epochs) => update({ epochs })} problem={fieldProblems.epochs} testId="train-epochs" />
          <NumberField
            label="Validation split"
            value={s.validationSplit}
            min={0}
            max={1}
            maxExclusive
            step={0.05}
            onCommit={(validationSplit) => update({ validationSplit })}
            problem={fieldProblems.validationSplit}
            testId="train-validation"
            help="Share of the training data held out to watch for overfitting."
          />
          <div className="lb-train-field">
            <span className="lb-train-label">Seed</span>
            <div className="lb-train-inline">
              <input
                className="lb-train-input lb-train-input--num"
                type="number"
                min={0}
                step={1}
                value={s.seed}
                aria-label="Random seed"
                data-testid="train-seed"
                onChange={(e) => {
                  const v = Number(e.target.value);
                  if (e.target.value !== '' && Number.isInteger(v) && v >= 0) update({ seed: v });
                }}
              />
              <button type="button" className="lb-train-btn lb-train-btn--small" title="A new random seed" onClick={() => update({ seed: Math.floor(Math.random() * 100_000) })}>
                New
              </button>
            </div>
            <p className="lb-train-field__help">Fixes the data, the split, the shuffling and the first weights.</p>
          </div>
        </div>

        <div className="lb-train-group">
          <h3 className="lb-train-h">
            Early stopping
            <span style={{ marginLeft: 'auto', textTransform: 'none', letterSpacing: 0 }}>
              <Switch checked={es.enabled} onChange={(enabled) => setEs({ enabled })} label={es.enabled ? 'On' : 'Off'} testId="early-stopping" />
            </span>
          </h3>
          {es.enabled ? (
            <>
              <SelectField
                label="Watch"
                value={es.monitor}
                options={MONITORS.map((m) => ({ value: m, label: MONITOR_TITLES[m] }))}
                onChange={(monitor) => setEs({ monitor })}
                testId="early-monitor"
              />
              <NumberField label="Patience" value={es.patience} integer min={0} onCommit={(patience) => setEs({ patience })} help="Epochs without improvement before stopping." testId="early-patience" />
              <NumberField label="Min. change" value={es.minDelta} min={0} onCommit={(minDelta) => setEs({ minDelta })} help="A smaller change does not count as an improvement." testId="early-min-delta" />
              <FieldRow label="Best weights">
                <Switch checked={es.restoreBestWeights} onChange={(restoreBestWeights) => setEs({ restoreBestWeights })} label="Restore at the end" testId="early-restore" />
              </FieldRow>
            </>
          ) : (
            <p className="lb-train-note" style={{ marginTop: 0 }}>Stop when the watched metric stops improving, and keep the best epoch&apos;s weights.</p>
          )}
        </div>
      </fieldset>

      <div className="lb-train-group" data-testid="train-checks">
        <h3 className="lb-train-h">Checks</h3>
        {checks.length === 0 ? (
          <p className="lb-train-check lb-train-check--ok">The graph and the data set fit together.</p>
        ) : (
          <ul className="lb-train-checks">
            {checks.map((d, i) => (
              <li key={`${d.code}-${i}`} className={`lb-train-check lb-train-check--${d.severity}`} data-code={d.code}>
                <span>
                  {d.message}
                  {d.nodeId && props.onSelectNode && (
                    <>
                      {' '}
                      <button type="button" onClick={() => props.onSelectNode!(d.nodeId!)}>
                        Show
                      </button>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
        {memory && (
          <p className="lb-train-memory" title={memory.summary} data-testid="train-memory">
            <span>Memory</span>
            <span className="lb-train-mono" style={{ color: memory.overBudget ? 'var(--color-warning)' : undefined }}>
              ≈ {formatMb(memory.total)}
            </span>
            <span className="lb-train-aside">weights, optimizer, one batch</span>
          </p>
        )}
        {errors.length > 0 && <p className="lb-train-note">Training starts once the errors above are fixed.</p>}
      </div>
    </div>
  );
}

function formatMb(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}
