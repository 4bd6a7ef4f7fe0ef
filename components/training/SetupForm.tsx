'use client';
/**
 * Setting up a run: the data set and its options, the optimizer, the loss, the schedule, early
 * stopping and the seed. Every change goes to the document's `training` block, so that a shared
 * graph carries the whole experiment. Below the form, the graph and the data are checked
 * together; an error there keeps Start disabled.
 *
 * The data part is generated from the data set registry: the picker from the specs and their
 * groups, the options from the fields each data set declares (`DatasetSpec.fields`, declared in
 * `graph-compiler/datasets/fields.ts` with the layers' param builders). The run's own settings
 * are declared here with the same builders, and every field is drawn by the inspector's
 * `ParamField` (in its `form` mode: a field always holds a value) over the shared controls of
 * `components/fields`.
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
import { PERCEPTRON_RULE_TITLE, type TrainingRule } from '@/lib/training/perceptron';
import { MONITOR_TITLES } from '@/lib/training/run';
import { bool, choice, float, int } from '@/graph-compiler/params';
import { FieldHelp, FieldRow, FieldError, Select, Switch } from '@/components/fields';
import { ParamField, type ParamFieldProps } from '@/components/inspector/ParamField';

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
  /** How the graph will train: with the optimizer, or by the perceptron rule. */
  rule?: TrainingRule;
  /** The document's training block as written: which fields the person set. */
  block?: TrainingBlock;
  checks: Diagnostic[];
  memory: MemoryEstimate | null;
  onCsv(file: File): void;
  onImages(files: File[]): void;
  onSelectNode?(id: string): void;
}

type Suggestable = 'optimizer' | 'learningRate' | 'epochs' | 'batchSize';

/**
 * The help line of a field the data set suggests a value for: "suggested for …" while the
 * block leaves it to the data set, else the suggestion with a button that takes it.
 */
function Suggestion({ field, settings, block, update, format = String }: {
  field: Suggestable; settings: TrainingSettings; block?: TrainingBlock; update(patch: TrainingBlock): void; format?: (v: never) => string;
}) {
  const spec = datasetSpec(settings.dataset);
  const value = spec.suggested?.[field];
  if (value === undefined) return null;
  const shown = (format as (v: unknown) => string)(value);
  if (block?.[field] === undefined) return <span data-testid={`suggested-${field}`}>Suggested for {spec.title.toLowerCase()}; change it to override.</span>;
  if (block[field] === value) return <span data-testid={`suggested-${field}`}>The value suggested for {spec.title.toLowerCase()}.</span>;
  return (
    <span data-testid={`suggested-${field}`}>
      {spec.title} suggests {shown}.{' '}
      <button type="button" className="lb-btn lb-btn--small" onClick={() => update({ [field]: value })}>
        Use {shown}
      </button>
    </span>
  );
}

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

/**
 * The run's settings as param declarations, with the limits `checkTraining` holds a document
 * to; the help is the form's own line (the declaration's is for tooltips).
 */
const RUN_PARAMS = {
  optimizer: choice(OPTIMIZERS, { help: 'How the weights are updated' }),
  learningRate: float({ min: 0, minExclusive: true, help: 'Size of each update step' }),
  momentum: float({ min: 0, max: 1, maxExclusive: true, help: 'Share of the last update carried into the next' }),
  loss: choice(LOSSES, { help: 'What training minimises' }),
  batchSize: int({ min: 1, help: 'Examples per update' }),
  epochs: int({ min: 1, help: 'Passes over the training data' }),
  validationSplit: float({ min: 0, max: 1, maxExclusive: true, help: 'Share of the training data held out to watch for overfitting' }),
  monitor: choice(MONITORS, { help: 'The metric early stopping watches' }),
  patience: int({ min: 0, help: 'Epochs without improvement before stopping' }),
  minDelta: float({ min: 0, help: 'A smaller change does not count as an improvement' }),
  restoreBestWeights: bool({ help: 'Restore the best epoch\'s weights at the end' }),
};

/** A field of the form: ParamField in form mode, with no help line unless one is given. */
function FormField(props: Omit<ParamFieldProps, 'mode'>) {
  return <ParamField help={null} {...props} mode="form" />;
}

/** One data set field, drawn from its declaration. Column fields need the uploaded table's header. */
function DatasetField({ name, settings, header, update, problem }: {
  name: DatasetFieldName; settings: TrainingSettings; header: string[]; update(patch: TrainingBlock): void; problem?: string;
}) {
  const decl = DATASET_FIELDS[name];
  const testId = FIELD_TEST_IDS[name];
  const commit = (v: unknown) => update({ [name]: v });
  if (decl.kind === 'column') {
    if (header.length === 0) return null;
    const chosen = settings.labelColumn;
    const value = chosen && header.includes(chosen) ? chosen : header[header.length - 1];
    const spec = choice(header, { help: decl.param.help });
    return <FormField name={name} spec={spec} raw={value} label={decl.label} onCommit={commit} testId={testId} problem={problem} />;
  }
  if (decl.kind === 'choice') {
    return <FormField name={name} spec={decl.param} raw={settings[name as 'task']} label={decl.label} optionLabels={decl.titles} onCommit={commit} testId={testId} problem={problem} />;
  }
  const control = 'control' in decl ? decl.control : undefined;
  const slider = control?.slider && { ...control.slider, format: control.percent ? percent : String };
  return (
    <FormField
      name={name}
      spec={decl.param}
      raw={settings[name as 'noise' | 'trainRatio' | 'samples']}
      label={decl.label}
      slider={slider}
      onCommit={commit}
      testId={testId}
      problem={problem}
    />
  );
}

function FilePicker({ label, accept, directory, multiple, onFiles, disabled, testId }: {
  label: string; accept?: string; directory?: boolean; multiple?: boolean; onFiles(files: File[]): void; disabled?: boolean; testId?: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="lb-btn lb-btn--small" disabled={disabled} onClick={() => ref.current?.click()}>
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
  const perceptron = props.rule === 'perceptron';
  const suggest = <V,>(field: Suggestable, format?: (v: V) => string) =>
    datasetSpec(s.dataset).suggested?.[field] === undefined ? null : <Suggestion field={field} settings={s} block={props.block} update={update} format={format as (v: never) => string} />;
  const lossLabels = Object.fromEntries(LOSSES.map((l) => [l, l === 'auto' ? `Auto${autoLoss ? ` · ${LOSS_TITLES[autoLoss].toLowerCase()}` : ''}` : LOSS_TITLES[l]]));
  const csvHeader = upload?.kind === 'csv' ? upload.table.header : [];
  const spec = datasetSpec(s.dataset);
  // Fields of a data set that needs a file appear once the file is chosen.
  const fields = spec.upload && upload?.kind !== spec.upload ? [] : spec.fields;
  const fieldRows = fields.map((name) => <DatasetField key={name} name={name} settings={s} header={csvHeader} update={update} problem={fieldProblems[name]} />);

  return (
    <div className="lb-train-card" aria-label="Training setup">
      <fieldset disabled={locked} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
        <div className="lb-train-group">
          <h3 className="lb-section-title">Data</h3>
          <FieldRow label="Data set" htmlFor="lb-train-dataset" state={fieldProblems.dataset ? 'error' : null} messages={fieldProblems.dataset && <FieldError>{fieldProblems.dataset}</FieldError>}>
            <Select
              id="lb-train-dataset"
              testId="dataset-select"
              value={s.dataset}
              invalid={!!fieldProblems.dataset}
              onChange={(dataset) => update({ dataset: dataset as DatasetId })}
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
            </Select>
          </FieldRow>

          {!spec.upload && fieldRows}

          {s.dataset === 'csv' && (
            <>
              <FieldRow label="File" state={uploadError ? 'error' : null} messages={uploadError && <FieldError>{uploadError}</FieldError>}>
                <div className="lb-files">
                  <FilePicker label={upload?.kind === 'csv' ? 'Choose another…' : 'Choose a CSV…'} accept=".csv,.tsv,.txt,text/csv" onFiles={(f) => props.onCsv(f[0])} testId="csv-file" />
                  {upload?.kind === 'csv' && <span className="lb-muted lb-mono" style={{ alignSelf: 'center' }}>{upload.fileName}</span>}
                </div>
              </FieldRow>
              {fieldRows}
              {info.error && <p className="lb-train-check lb-train-check--error" role="alert" data-testid="data-error">{info.error}</p>}
            </>
          )}

          {s.dataset === 'images' && (
            <>
              <FieldRow
                label="Images"
                state={uploadError ? 'error' : null}
                messages={uploadError ? <FieldError>{uploadError}</FieldError> : <FieldHelp>One sub-folder per class (cat/…, dog/…), or files named by class (cat_1.png).</FieldHelp>}
              >
                <div className="lb-files">
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
          <h3 className="lb-section-title">{perceptron ? 'Training rule' : 'Optimizer'}</h3>
          {perceptron && (
            <p className="lb-train-note" data-testid="train-rule">
              <b>{PERCEPTRON_RULE_TITLE}</b>: this graph is a single step unit, whose gradient is zero, so it learns one point at a time from its mistakes, w ← w + η(y − ŷ)x. The learning rate is η; the optimizer and the loss are not used.
            </p>
          )}
          {!perceptron && (
            <FormField
              name="optimizer"
              spec={RUN_PARAMS.optimizer}
              raw={s.optimizer}
              optionLabels={OPTIMIZER_TITLES}
              onCommit={(optimizer) => update({ optimizer: optimizer as Optimizer })}
              problem={fieldProblems.optimizer}
              testId="train-optimizer"
              help={suggest('optimizer', (v: Optimizer) => OPTIMIZER_TITLES[v])}
            />
          )}
          <FormField name="learningRate" spec={RUN_PARAMS.learningRate} raw={s.learningRate} onCommit={(learningRate) => update({ learningRate: learningRate as number })} problem={fieldProblems.learningRate} testId="train-lr" help={perceptron ? 'η: how far each mistake moves w and b.' : suggest('learningRate')} />
          {!perceptron && s.optimizer === 'momentum' && (
            <FormField name="momentum" spec={RUN_PARAMS.momentum} raw={s.momentum} step={0.05} onCommit={(momentum) => update({ momentum: momentum as number })} problem={fieldProblems.momentum} testId="train-momentum" />
          )}
          {!perceptron && (
            <FormField
              name="loss"
              spec={RUN_PARAMS.loss}
              raw={s.loss}
              optionLabels={lossLabels}
              onCommit={(loss) => update({ loss: loss as Loss })}
              testId="train-loss"
              problem={fieldProblems.loss}
            />
          )}
          <p className="lb-train-note">L1/L2 penalties and Dropout are set on the layers of the graph.</p>
        </div>

        <div className="lb-train-group">
          <h3 className="lb-section-title">Schedule</h3>
          <FormField name="batchSize" spec={RUN_PARAMS.batchSize} raw={s.batchSize} onCommit={(batchSize) => update({ batchSize: batchSize as number })} problem={fieldProblems.batchSize} testId="train-batch" help={perceptron ? 'Points between two progress reports (the rule updates after each point).' : suggest('batchSize')} />
          <FormField name="epochs" spec={RUN_PARAMS.epochs} raw={s.epochs} onCommit={(epochs) => update({ epochs: epochs as number })} problem={fieldProblems.epochs} testId="train-epochs" help={perceptron ? 'Passes at most: the rule stops after a pass without a mistake.' : suggest('epochs')} />
          <FormField
            name="validationSplit"
            spec={RUN_PARAMS.validationSplit}
            raw={s.validationSplit}
            step={0.05}
            onCommit={(validationSplit) => update({ validationSplit: validationSplit as number })}
            problem={fieldProblems.validationSplit}
            testId="train-validation"
            help="Share of the training data held out to watch for overfitting."
          />
          <FieldRow label="Seed" messages={<FieldHelp>Fixes the data, the split, the shuffling and the first weights.</FieldHelp>}>
            <div className="lb-inline">
              <input
                className="lb-input lb-input--num"
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
              <button type="button" className="lb-btn lb-btn--small" title="A new random seed" onClick={() => update({ seed: Math.floor(Math.random() * 100_000) })}>
                New
              </button>
            </div>
          </FieldRow>
        </div>

        <div className="lb-train-group">
          <h3 className="lb-section-title">
            Early stopping
            <span style={{ marginLeft: 'auto', textTransform: 'none', letterSpacing: 0 }}>
              <Switch checked={es.enabled} onChange={(enabled) => setEs({ enabled })} text={es.enabled ? 'On' : 'Off'} testId="early-stopping" />
            </span>
          </h3>
          {es.enabled ? (
            <>
              <FormField
                name="monitor"
                spec={RUN_PARAMS.monitor}
                raw={es.monitor}
                label="Watch"
                optionLabels={MONITOR_TITLES}
                onCommit={(monitor) => setEs({ monitor: monitor as typeof es.monitor })}
                testId="early-monitor"
              />
              <FormField name="patience" spec={RUN_PARAMS.patience} raw={es.patience} onCommit={(patience) => setEs({ patience: patience as number })} help="Epochs without improvement before stopping." testId="early-patience" />
              <FormField name="minDelta" spec={RUN_PARAMS.minDelta} raw={es.minDelta} label="Min. change" onCommit={(minDelta) => setEs({ minDelta: minDelta as number })} help="A smaller change does not count as an improvement." testId="early-min-delta" />
              <FormField
                name="restoreBestWeights"
                spec={RUN_PARAMS.restoreBestWeights}
                raw={es.restoreBestWeights}
                label="Best weights"
                switchText="Restore at the end"
                onCommit={(restoreBestWeights) => setEs({ restoreBestWeights: restoreBestWeights as boolean })}
                testId="early-restore"
              />
            </>
          ) : (
            <p className="lb-train-note" style={{ marginTop: 0 }}>Stop when the watched metric stops improving, and keep the best epoch&apos;s weights.</p>
          )}
        </div>
      </fieldset>

      <div className="lb-train-group" data-testid="train-checks">
        <h3 className="lb-section-title">Checks</h3>
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
            <span className="lb-mono" style={{ color: memory.overBudget ? 'var(--color-warning)' : undefined }}>
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
