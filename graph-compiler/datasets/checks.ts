/**
 * A data set and a compiled graph checked together, as diagnostics in the compiler's style
 * (stable code, the node at fault, a message a student understands, the numbers): does the
 * Input take the examples (the data set's `checkInput`), does the output give one score per
 * class (or one number), and does the loss fit the output (`loss.ts`). The browser's run
 * checks add what only a run knows (memory, splits); the Keras export refuses what the loss
 * rule refuses.
 */
import { fmtShape } from '../format';
import type { TrainingSettings } from '../training';
import type { CompileResult, Diagnostic, Severity } from '../types';
import { datasetSpec } from './index';
import { LOSS_CHECK_CODES, outputInfo, planLoss, type LossPlan, type OutputInfo } from './loss';
import { inputSizeProblem } from './spec';
import type { DatasetInfo, Task } from './types';

export const DATA_CHECK_CODES = {
  'data-input-shape': { severity: 'error', meaning: "The Input's shape does not match the data set's examples." },
  'data-output-shape': { severity: 'error', meaning: 'The output is not a flat vector of scores, one per class (or a single number).' },
  'data-output-units': { severity: 'error', meaning: "The output's units do not match the number of classes (or targets)." },
  ...LOSS_CHECK_CODES,
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type DataCheckCode = keyof typeof DATA_CHECK_CODES;

function ddiag(code: DataCheckCode, message: string, nodeId?: string, param?: string): Diagnostic {
  const d: Diagnostic = { severity: DATA_CHECK_CODES[code].severity, code, message };
  if (nodeId !== undefined) d.nodeId = nodeId;
  if (param !== undefined) d.param = param;
  return d;
}

const title = (o: { type: string; name: string }) => `${o.type} "${o.name}"`;

export interface DataFit {
  diagnostics: Diagnostic[];
  task: Task;
  out: OutputInfo | null;
  /** The loss, encoding and metrics, when the output is known. */
  loss: LossPlan | null;
}

/**
 * Checks a compiled graph against a data set. `info` is null while the data set waits for an
 * upload; the task then comes from the settings.
 */
export function checkDataFit(result: CompileResult, settings: TrainingSettings, info: DatasetInfo | null): DataFit {
  const ds: Diagnostic[] = [];
  const spec = datasetSpec(settings.dataset);
  const out = result.ok ? outputInfo(result) : null;
  const task: Task = info?.task ?? spec.task(settings);
  const loss = out ? planLoss(settings.loss, task, out, info?.title ?? 'this data set') : null;

  const inputId = result.inputs[0];
  const inputShape = inputId ? result.nodes[inputId]?.outputShape ?? null : null;
  if (info && inputShape && result.inputs.length === 1) {
    const node = title(result.nodes[inputId]);
    const problem = spec.checkInput ? spec.checkInput(inputShape, info, node) : inputSizeProblem(inputShape, info, node);
    if (problem) ds.push(ddiag('data-input-shape', problem, inputId, 'shape'));
  }

  if (info && out && loss && result.outputs.length === 1) {
    const classes = info.classNames.length;
    if (out.shape.length !== 1) {
      ds.push(ddiag('data-output-shape',
        `${title(out)} outputs ${fmtShape(out.shape)}, but ${task === 'classification' ? `${info.title} needs one score per class, a shape of [${classes}]` : 'a regression needs a single number, [1]'}: add a Flatten and a Dense layer at the end.`,
        out.nodeId));
    } else if (task === 'regression') {
      if (out.units !== 1) {
        ds.push(ddiag('data-output-units', `${title(out)} has ${out.units} units, but ${info.title} has one number to predict: give it 1 unit.`, out.nodeId, 'units'));
      }
    } else if (loss.encoding === 'binary') {
      if (classes !== 2) {
        ds.push(ddiag('data-output-units',
          `${title(out)} has 1 unit, which can only tell 2 classes apart, but ${info.title} has ${classes}: give it ${classes} units with softmax.`, out.nodeId, 'units'));
      }
    } else if (out.units !== classes) {
      const alt = classes === 2 ? ' (or 1 unit with sigmoid)' : '';
      ds.push(ddiag('data-output-units',
        `${title(out)} has ${out.units} units, but ${info.title} has ${classes} classes: give it ${classes} units${alt}, one score per class.`, out.nodeId, 'units'));
    }
  }

  if (loss) for (const p of loss.problems) ds.push(ddiag(p.code, p.message, p.nodeId, p.param));
  return { diagnostics: ds, task, out, loss };
}
