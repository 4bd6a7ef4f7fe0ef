'use client';
/**
 * The training panel: set up a run, train the graph in the browser (WebGL, or the CPU with a
 * notice), watch it learn, and evaluate it. It reads the graph document and its compile result
 * and writes only the document's `training` block, through `onTrainingChange`; everything
 * else (TensorFlow.js, the data, the run) lives in the training session.
 *
 * @example
 * <TrainingPanel doc={doc} result={result} onTrainingChange={(block) => setTraining(block)} />
 */
import { useDeferredValue, useEffect, useMemo, type ReactNode } from 'react';
import { checkTraining, visibleText, type CompileResult, type GraphDocument, type TrainingBlock } from '@/graph-compiler';
import { isPlaygroundId, playgroundSet } from '@/graph-compiler/datasets';
import { MNIST_CLASSES } from '@/graph-compiler/datasets/mnist';
import { checkRun } from '@/lib/training/check';
import { staticDatasetInfo, staticTrainCount } from '@/lib/training/dataset-info';
import { PERCEPTRON_RULE_TITLE } from '@/lib/training/perceptron';
import { currentUpdates, useTrainingSession } from '@/lib/training/session';
import { onBackendChange, preferredBackend, useBackendChoice, useBackendReport } from '@/lib/training/host';
import { BackendSpeeds } from './BackendSpeeds';
import { DecisionBoundary } from './DecisionBoundary';
import { DigitPad } from './DigitPad';
import { HealthWarnings } from './HealthWarnings';
import { ConfusionMatrix, EpochLogTable, PredictionGrid, StatsRow } from './Evaluation';
import { LiveCharts } from './LiveCharts';
import { ModelFiles } from './ModelFiles';
import { NeuronCard } from './NeuronView';
import { PerceptronUpdates } from './PerceptronUpdates';
import { RunBar } from './RunBar';
import { RunCompare } from './RunCompare';
import { SetupForm } from './SetupForm';
import { noteTrainedGraph } from './trained-model';

export interface TrainingPanelProps {
  doc: GraphDocument;
  result: CompileResult;
  /** Receives the whole new `training` block; the editor stores it in the document. */
  onTrainingChange(block: TrainingBlock): void;
  /** Lets a check's "Show" link select the node at fault on the canvas. */
  onSelectNode?(id: string): void;
}

function Card({ title, aside, children, testId }: { title: string; aside?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="lb-train-card" aria-label={title} data-testid={testId}>
      <div className="lb-train-card__head">
        <h3 className="lb-section-title">{title}</h3>
        {aside && <span className="lb-train-aside">{aside}</span>}
      </div>
      <div className="lb-train-card__body">{children}</div>
    </section>
  );
}

export function TrainingPanel({ doc, result, onTrainingChange, onSelectNode }: TrainingPanelProps) {
  const session = useTrainingSession();
  const backendChoice = useBackendChoice((s) => s.choice);
  const backendReport = useBackendReport();
  const preferBackend = preferredBackend(backendChoice);
  // A run that moved to another backend (the choice changed) says so in the header.
  useEffect(
    () => onBackendChange(({ backend, notice, where }) => useTrainingSession.setState({ backend, backendNotice: notice ?? null, where })),
    [],
  );
  const { settings, diagnostics: blockDiagnostics } = useMemo(() => checkTraining(doc.training), [doc.training]);
  const inputShape = result.inputs.length === 1 ? result.nodes[result.inputs[0]]?.outputShape ?? null : null;
  const info = useMemo(() => staticDatasetInfo(settings, session.upload, inputShape), [settings, session.upload, inputShape]);

  const trainCount = staticTrainCount(settings, info);
  const check = useMemo(() => checkRun(result, settings, info.info, trainCount), [result, settings, info.info, trainCount]);

  const fieldProblems: Record<string, string> = {};
  for (const d of blockDiagnostics) if (d.param && d.severity === 'error') fieldProblems[d.param] = d.message;
  const blockErrors = blockDiagnostics.filter((d) => !d.param || d.severity === 'warning');
  const checks = [...blockErrors, ...check.diagnostics.filter((d) => d.code !== 'data-missing' || !info.error)];
  const canStart = !!check.plan && !blockDiagnostics.some((d) => d.severity === 'error');
  const firstError = checks.find((d) => d.severity === 'error')?.message ?? (blockDiagnostics.some((d) => d.severity === 'error') ? 'Fix the training settings marked in red.' : null);

  const phase = session.phase;
  const locked = phase !== 'idle' && phase !== 'finished';
  const update = (patch: TrainingBlock) => onTrainingChange({ ...(doc.training as TrainingBlock | undefined), ...patch });

  // The data a 2-D set will train on, drawn before the run like the Playground does.
  const preview = useMemo(
    () => (isPlaygroundId(settings.dataset) ? playgroundSet(settings.dataset).dataset(settings) : null),
    [settings],
  );
  const runDataset = session.dataset && session.dataset.id === settings.dataset ? session.dataset : null;
  const pointsDataset = runDataset?.kind === 'points' ? runDataset : preview;
  const classification = (runDataset?.task ?? info.info?.task ?? 'classification') === 'classification';
  const evaluation = session.evaluation && runDataset ? session.evaluation : null;
  // The confusion matrix and the prediction grid render in a transition, in slices, so that
  // showing a finished run never blocks the page for long.
  const shownEvaluation = useDeferredValue(evaluation);

  const perceptronRule = (phase === 'idle' || phase === 'finished' ? check.rule : session.rule) === 'perceptron';
  const start = () => {
    noteTrainedGraph(doc);
    void session.start({ doc, result, settings, preferBackend });
  };
  const backendText = session.backend ?? 'not loaded';

  return (
    <section className="lb-train" aria-label="Training panel" data-testid="training-panel">
      <header className="lb-train__head">
        <h2 className="lb-train__title">Training</h2>
        <span className="lb-train__subtitle">
          {doc.name ? (
            <>
              <bdi>{visibleText(doc.name)}</bdi> ·{' '}
            </>
          ) : null}
          in this browser, with TensorFlow.js
        </span>
        <div className="lb-train__head-right">
          <span
            className="lb-train-badge"
            data-testid="backend"
            data-backend={session.backend ?? 'none'}
            title={session.backend ? `TensorFlow.js backend: ${session.backend}` : 'TensorFlow.js loads when training starts'}
          >
            {backendText}
          </span>
        </div>
      </header>

      <div className="lb-train__body">
        <div className="lb-train__setup">
          <SetupForm
            settings={settings}
            fieldProblems={fieldProblems}
            update={update}
            locked={locked}
            upload={session.upload}
            uploadError={session.uploadError}
            uploadProgress={session.uploadProgress}
            info={info}
            autoLoss={check.loss}
            rule={check.rule}
            block={doc.training as TrainingBlock | undefined}
            checks={checks}
            memory={result.ok ? check.plan?.memory ?? null : null}
            onCsv={(f) => void session.setCsv(f)}
            onImages={session.setImages}
            onSelectNode={onSelectNode}
          />
        </div>

        <div className="lb-train__main">
          {session.backendNotice && (
            <div className="lb-train-message lb-train-message--warning" role="status" data-testid="backend-notice" style={{ marginTop: 0 }}>
              {session.backendNotice}
            </div>
          )}
          <div>
            <RunBar
              phase={phase}
              detail={session.detail}
              progress={session.progress}
              end={session.end}
              canStart={canStart}
              blocked={firstError}
              epochs={settings.epochs}
              evalProgress={session.evalProgress}
              backend={backendChoice}
              onBackend={useBackendChoice.getState().setChoice}
              onStart={start}
              onPause={session.pause}
              onResume={session.resume}
              onStop={session.stop}
            />
          </div>

          {session.startDiagnostics.some((d) => d.severity === 'error') && phase === 'finished' && (
            <div className="lb-train-message lb-train-message--error" style={{ marginTop: 0 }}>
              {session.startDiagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join(' ')}
            </div>
          )}

          <LiveCharts version={session.curvesVersion} classification={classification} />

          {session.runs.length > 0 && <RunCompare runs={session.runs} onPin={session.pinRun} onRemove={session.removeRun} onClear={session.clearRuns} />}

          {(session.health || (phase === 'running' && !perceptronRule)) && (
            <Card title="Training health" testId="health-warnings" aside={session.health ? `after epoch ${session.health.stats.epoch} · ${session.health.stats.examples} examples` : 'measured at epoch ends'}>
              <HealthWarnings report={session.health} onSelectNode={onSelectNode} />
            </Card>
          )}

          {pointsDataset && (
            <Card title="Decision boundary" testId="boundary-card" aside={runDataset ? (phase === 'running' ? 'updating live' : '') : 'the data; the boundary appears when training starts'}>
              <DecisionBoundary dataset={pointsDataset} version={session.boundaryVersion} evaluation={runDataset ? evaluation : null} perceptron={runDataset ? session.perceptron : null} />
            </Card>
          )}

          <NeuronCard
            doc={doc}
            result={result}
            seed={settings.seed}
            dataset={runDataset ?? pointsDataset}
            loss={check.loss}
            eta={settings.learningRate}
            optimizer={settings.optimizer}
            preferBackend={preferBackend}
          />

          {perceptronRule && (
            <Card title={PERCEPTRON_RULE_TITLE} aside={session.perceptron ? `${session.perceptron.update} update${session.perceptron.update === 1 ? '' : 's'} so far` : 'how this graph learns'} testId="perceptron-card">
              <PerceptronUpdates latest={runDataset ? session.perceptron : null} updates={runDataset ? currentUpdates() : []} eta={settings.learningRate} />
            </Card>
          )}

          {/* The perceptron rule trains point by point, not by batches: there is nothing to compare. */}
          {!perceptronRule && (
            <BackendSpeeds report={backendReport.report} measuring={backendReport.measuring} runExamplesPerSecond={session.progress?.examplesPerSecond ?? session.end?.examplesPerSecond ?? 0} />
          )}

          <section className="lb-train-card" aria-label="Evaluation" data-testid="evaluation">
            <div className="lb-train-card__head">
              <h3 className="lb-section-title">Test evaluation</h3>
              <span className="lb-train-aside">
                {evaluation
                  ? `${evaluation.n.toLocaleString('en-US')} held-out examples${session.evaluationSource === 'file' && session.modelName ? ` · model ${session.modelName}` : ''}`
                  : 'after training, on examples the model never saw'}
              </span>
            </div>
            <div style={{ marginTop: 10 }}>
              <StatsRow evaluation={evaluation} epochs={session.epochs} elapsedMs={session.end?.elapsedMs ?? null} monitored={session.end?.best} />
            </div>
            {!evaluation && session.hasModel && phase === 'finished' && session.evaluationSource !== 'file' && (
              <button type="button" className="lb-btn" data-testid="train-evaluate" style={{ marginTop: 10 }} onClick={() => void session.evaluate()}>
                Evaluate on the test split
              </button>
            )}
            {shownEvaluation && runDataset && (
              <div className="lb-train-card__body lb-train-eval lb-train-eval--split" style={{ borderTop: '1px solid #eeeeea', paddingTop: 14 }}>
                {shownEvaluation.confusion && (
                  <div>
                    <h4 className="lb-section-title">Confusion matrix</h4>
                    <ConfusionMatrix confusion={shownEvaluation.confusion} classNames={runDataset.classNames} />
                  </div>
                )}
                <div>
                  <h4 className="lb-section-title">Test predictions</h4>
                  {runDataset.kind === 'points' ? (
                    <p className="lb-train-note" style={{ marginTop: 0 }}>
                      Turn on “Show the test points” on the decision boundary: mistakes are ringed in red.
                    </p>
                  ) : (
                    <PredictionGrid evaluation={shownEvaluation} dataset={runDataset} />
                  )}
                </div>
              </div>
            )}
            {session.epochs.length > 0 && (
              <div className="lb-train-card__body" style={{ borderTop: '1px solid #eeeeea' }}>
                <EpochLogTable epochs={session.epochs} />
              </div>
            )}
          </section>

          {settings.dataset === 'mnist' && (
            <Card title="Draw a digit" aside="the trained model reads it live">
              <DigitPad
                ready={session.hasModel && runDataset?.id === 'mnist' && !locked}
                classNames={runDataset?.classNames ?? MNIST_CLASSES}
                predict={(x) => session.predict(x, 1)}
              />
            </Card>
          )}

          <ModelFiles
            hasModel={session.hasModel && !locked}
            locked={locked}
            onExport={() => void session.exportModel('model')}
            onLoad={(files) => void session.loadModel(files, { settings, preferBackend })}
          />
        </div>
      </div>
    </section>
  );
}
