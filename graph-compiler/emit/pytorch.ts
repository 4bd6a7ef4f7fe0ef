/**
 * Emission to PyTorch: one Python file holding `class Model(torch.nn.Module)` (built with no
 * arguments, channels-first images, branches and merges in `forward`, every line commented with
 * its output shape and parameter count) that is also a training script when run: the document's
 * optimizer, learning rate, loss (the browser's rule), batch size, epochs, seed, L1/L2 penalties,
 * early stopping and data set, on one process or under torchrun as DistributedDataParallel.
 *
 * Every layer type's part lives in its module's `pytorch` form (`interop/pytorch-form.ts`); this
 * file walks the graph, names things and writes the script around them. The weights of a tfjs
 * model become the script's `state_dict` through the same forms (`pytorchStateDict`).
 */
import { kerasData } from '../datasets/keras';
import { documentFileName, thousands } from '../format';
import { activationHelpers, isImage, pyNumber, torchActivation, torchShapeText, type TorchTensor } from '../interop/pytorch-form';
import type { LayerIO } from '../layer-spec';
import { layerByType } from '../layers';
import type { LossName, TargetEncoding } from '../datasets/loss';
import { checkTraining, type TrainingSettings } from '../training';
import type { CompileResult, GraphDocument, NodeResult } from '../types';
import { pyCommentText, pyDocText, pyStr, pyTuple } from './python';
import type { NodeWeights } from './weights';

/** Names a module attribute or a local may not take: Python's keywords and nn.Module's own attributes. */
const RESERVED = new Set(('False None True and as assert async await break class continue def del elif else except ' +
  'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield case match ' +
  'self T_destination add_module apply bfloat16 buffers children cpu cuda double dump_patches eval extra_repr float ' +
  'forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict modules named_buffers ' +
  'named_children named_modules named_parameters parameters register_backward_hook register_buffer ' +
  'register_forward_hook register_forward_pre_hook register_full_backward_hook register_load_state_dict_post_hook ' +
  'register_module register_parameter requires_grad_ set_extra_state share_memory state_dict to to_empty train ' +
  'training type xpu zero_grad').split(' '));

/**
 * Node id → the Python identifier of its module attribute (`self.<name>`) and, with `x_`, of its
 * output in `forward`: ASCII letters, digits and `_` only, never starting with `_` or a digit
 * (a leading `__` would be name-mangled inside the class), unique, no keyword or Module attribute.
 */
export function pytorchNames(result: CompileResult): Record<string, string> {
  const used = new Set<string>();
  const names: Record<string, string> = {};
  for (const id of result.order) {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60);
    if (!/^[A-Za-z]/.test(base)) base = `n${base}`;
    if (RESERVED.has(base)) base = `${base}_`;
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    names[id] = n;
  }
  return names;
}

function ioOf(result: CompileResult, node: NodeResult): LayerIO {
  return { inputs: node.inputIds.map((s) => result.nodes[s].outputShape!), output: node.outputShape! };
}

function assertOk(result: CompileResult): void {
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`The graph has errors; first: ${first?.message}`);
  }
}

/**
 * Why the graph cannot be written for PyTorch exactly, one message per node that cannot
 * (`Conv2D "c1": …`); empty when it can. The exported file then holds the messages as comments
 * and a Model that raises, never an approximation.
 */
export function pytorchRefusals(result: CompileResult): string[] {
  assertOk(result);
  const out: string[] = [];
  for (const id of result.order) {
    const node = result.nodes[id];
    const form = layerByType(node.type)?.pytorch;
    const why = form ? form.refuse?.(node.params!, ioOf(result, node)) ?? null : 'Layerboard has no PyTorch form for this layer type yet';
    if (why) out.push(`${node.type} "${node.name}": ${why}.`);
  }
  return out;
}

/**
 * The state_dict of the exported Model from a tfjs model's weights (`nodeWeights`), in PyTorch
 * layouts and under the script's keys (`conv1.weight`), in graph order. BatchNorm's running mean
 * and variance are included (buffers); `num_batches_tracked` is not (the script does not need it).
 */
export function pytorchStateDict(result: CompileResult, weights: NodeWeights): TorchTensor[] {
  assertOk(result);
  const names = pytorchNames(result);
  const out: TorchTensor[] = [];
  for (const id of result.order) {
    const node = result.nodes[id];
    const form = layerByType(node.type)?.pytorch;
    const ws = weights[id];
    if (!ws || !form?.weights) continue;
    for (const t of form.weights(node.params!, ws, ioOf(result, node))) out.push({ ...t, key: `${names[id]}.${t.key}` });
  }
  return out;
}

/** The optimizer's constructor (the learning rate is the argument `lr`), with tfjs's defaults where PyTorch's differ (ε 1e-7, RMSprop's decay 0.9, Adagrad's start 0.1). */
const OPTIMIZERS: Record<string, (s: TrainingSettings) => string> = {
  sgd: () => 'torch.optim.SGD(params, lr=lr)',
  momentum: (s) => `torch.optim.SGD(params, lr=lr, momentum=${pyNumber(s.momentum)})`,
  adam: () => 'torch.optim.Adam(params, lr=lr, eps=1e-7)',
  rmsprop: () => 'torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-7)',
  adagrad: () => 'torch.optim.Adagrad(params, lr=lr, initial_accumulator_value=0.1, eps=1e-7)',
};

/** The loss as tfjs computes it (probabilities in, clipped to [ε, 1 − ε] for cross-entropy). */
const LOSSES: Record<LossName, string> = {
  categoricalCrossentropy: `    p = p / p.sum(dim=CLASS_DIM, keepdim=True)
    return -(y * torch.log(p.clamp(EPSILON, 1 - EPSILON))).sum(dim=CLASS_DIM).mean()`,
  sparseCategoricalCrossentropy: '    return -torch.log(p.clamp(EPSILON, 1 - EPSILON)).gather(CLASS_DIM, y.long().view(-1, 1)).mean()',
  binaryCrossentropy: `    p = p.clamp(EPSILON, 1 - EPSILON)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()`,
  meanSquaredError: '    return ((p - y) ** 2).mean()',
  meanAbsoluteError: '    return (p - y).abs().mean()',
};

const HITS: Record<TargetEncoding, string> = {
  onehot: '    hits = p.argmax(dim=CLASS_DIM) == y.argmax(dim=CLASS_DIM)',
  index: '    hits = p.argmax(dim=CLASS_DIM) == y.long().view(-1)',
  binary: '    hits = (p > 0.5).to(y.dtype) == y',
  value: '',
};

function alignComments(lines: { code: string; comment: string }[], indent: string): string {
  const width = Math.max(...lines.map((l) => l.code.length).filter((n) => n <= 88), 0);
  return lines.map((l) => `${indent}${l.code.padEnd(width)}  # ${l.comment}`).join('\n');
}

/**
 * The Python file for a compiled, error-free graph (throws otherwise: check `result.ok`). Where
 * a layer cannot be written exactly (`pytorchRefusals`), the file says so and its Model raises.
 *
 * @example
 * const py = toPytorch(doc, compile(doc));
 */
export function toPytorch(doc: GraphDocument, result: CompileResult): string {
  assertOk(result);
  const { settings } = checkTraining(doc.training);
  const names = pytorchNames(result);
  const refusals = pytorchRefusals(result);
  const helpers = new Map<string, string>();
  const addHelpers = (h: Record<string, string>) => Object.entries(h).forEach(([k, v]) => helpers.set(k, v));
  const init: { code: string; comment: string }[] = [];
  const fwd: { code: string; comment: string }[] = [];
  const penalties: string[] = [];

  for (const id of result.order) {
    const node = result.nodes[id];
    const spec = layerByType(node.type)!;
    const form = spec.pytorch;
    const p = node.params!;
    const v = names[id];
    const io = ioOf(result, node);
    const count = node.paramCount!.trainable + node.paramCount!.nonTrainable;
    const what = pyCommentText(`${node.type} ${JSON.stringify(node.name)}`);
    if (node.inputIds.length === 0 || !form || form.refuse?.(p, io)) continue;
    const m = `self.${v}`;
    if (form.module) init.push({ code: `${m} = ${form.module(p, io)}`, comment: what });
    const xs = node.inputIds.map((s) => `x_${names[s]}`);
    let expr = form.forward ? form.forward(p, io, xs, m) : `${m}(${xs[0]})`;
    const act = spec.fusedActivation ? spec.activationOf?.(p) : undefined;
    if (act && act !== 'linear') {
      expr = torchActivation(act, expr, io.output);
      addHelpers(activationHelpers(act));
    }
    addHelpers(form.helpers?.(p, io) ?? {});
    fwd.push({ code: `x_${v} = ${expr}`, comment: `${torchShapeText(io.output)}  ${thousands(count)} params${form.module ? '' : `  ${what}`}` });
    const l1 = Number(p.l1 ?? 0);
    const l2 = Number(p.l2 ?? 0);
    if ((l1 > 0 || l2 > 0) && form.penalized) {
      for (const k of form.penalized(p)) penalties.push(`    ${pyStr(`${v}.${k}`)}: (${pyNumber(l1)}, ${pyNumber(l2)}),`);
    }
  }

  const inputs = result.inputs.map((id) => `x_${names[id]}`);
  const outputs = result.outputs.map((id) => `x_${names[id]}`);
  const images = result.inputs.filter((id) => isImage(result.nodes[id].outputShape!));
  const notes = [
    ...(images.length ? [`Images are channels-first, as PyTorch expects: ${images.map((id) => `the Input [${result.nodes[id].outputShape!.join(', ')}] is ${torchShapeText(result.nodes[id].outputShape!)}`).join(', ')} here.`] : []),
    ...(result.totals.nonTrainableParams ? [`BatchNorm's running means and variances are buffers: the graph's ${thousands(result.totals.nonTrainableParams)} non-trainable parameters.`] : []),
  ];
  const refusalComment = refusals.map((r) => `# ${pyCommentText(r)}`).join('\n');
  const raise = `raise NotImplementedError(${pyStr(`PyTorch cannot compute this graph exactly as tfjs does: ${refusals.join(' ')}`)})`;
  const modelBody = refusals.length
    ? `    def __init__(self):
        super().__init__()
        ${raise}

    def forward(self, *inputs):
        ${raise}`
    : `    def __init__(self):
        super().__init__()
${init.length ? alignComments(init, '        ') : '        pass'}

    def forward(self, ${inputs.join(', ')}):
${alignComments(fwd.length ? fwd : [{ code: 'pass', comment: 'the inputs are the outputs' }], '        ')}
        return ${outputs.join(', ')}`;

  const title = doc.name ?? 'Layerboard model';
  // The names the Share menu downloads the script and its weights under.
  const file = documentFileName(doc, '.py');
  const data = kerasData(result, settings, 'pytorch');
  const t = result.totals;
  const inputShape = result.nodes[result.inputs[0]].outputShape!;
  const outShape = result.nodes[result.outputs[0]].outputShape!;
  const es = settings.earlyStopping;
  const monitor = es.monitor.replace(/acc$/, 'accuracy');
  const imports = [...new Set(['argparse', 'copy', 'json', 'math', 'os', 'sys', ...data.imports])].sort();
  const hits = HITS[data.plan.encoding];

  const parts = [
    `"""${pyDocText(title)}: built with Layerboard, for PyTorch.

The same network as the graph: ${thousands(t.totalParams)} parameters (${thousands(t.trainableParams)} trainable), ${thousands(t.macs)} multiply-adds per example.
${notes.map((n) => `${n}\n`).join('')}
One process (CPU, or the first GPU):  python ${file}
One machine, several GPUs:            torchrun --nproc_per_node=NUM_GPUS ${file}
Several machines (R = 0, 1 on each):  torchrun --nnodes=2 --node_rank=R --nproc_per_node=NUM_GPUS
                                               --master_addr=HOST --master_port=29500 ${file}
The browser's weights:                python ${file} --weights ${file.replace(/\.py$/, '.npz')} (--epochs 0: evaluate only)
Needs PyTorch 1.13 or later and numpy.
"""
${refusalComment ? `${refusalComment}\n` : ''}${imports.map((m) => `import ${m}\n`).join('')}
import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler`,
    ...helpers.values(),
    `INPUT_SHAPE = ${pyTuple(inputShape)}  # one example as the graph has it (channels-last); load_data() returns this
SETTINGS = {
    "dataset": ${pyStr(settings.dataset)},
    "optimizer": ${pyStr(settings.optimizer)},
    "learning_rate": ${pyNumber(settings.learningRate)},
    "loss": ${pyStr(data.plan.loss)},
    "batch_size": ${settings.batchSize},
    "epochs": ${settings.epochs},
    "validation_split": ${pyNumber(settings.validationSplit)},
    "seed": ${settings.seed},
    "early_stopping": {"enabled": ${es.enabled ? 'True' : 'False'}, "monitor": ${pyStr(monitor)}, "patience": ${es.patience}, "min_delta": ${pyNumber(es.minDelta)}, "restore_best_weights": ${es.restoreBestWeights ? 'True' : 'False'}},
}
# The graph's L1/L2 factors: parameter -> (l1, l2), added to the loss as Keras adds them.
PENALTIES = ${penalties.length ? `{\n${penalties.join('\n')}\n}` : '{}'}`,
    `class Model(nn.Module):
    """The graph, layer by layer. Comments give each output's shape as PyTorch holds it (N is the batch) and the layer's parameter count."""

${modelBody}`,
    data.code,
    `EPSILON = 1e-7
CLASS_DIM = ${outShape.length === 3 ? 1 : -1}  # the axis of the output's classes (channels for an image)


def loss_fn(p, y):
    """${data.plan.loss}: the loss the browser trains with (its "auto" rule resolved), on the model's outputs."""
${LOSSES[data.plan.loss]}


def hits_fn(p, y):
    """Correct predictions and how many were made, or None for a regression."""
${hits ? `${hits}\n    return hits.sum().item(), hits.numel()` : '    return None'}


def penalty(model):
    """l1 * sum|w| + l2 * sum w^2 over the penalised parameters."""
    params = dict(model.named_parameters())
    total = 0.0
    for name, (l1, l2) in PENALTIES.items():
        w = params[name]
        total = total + l1 * w.abs().sum() + l2 * (w * w).sum()
    return total


def make_optimizer(params, lr):
    return ${OPTIMIZERS[settings.optimizer](settings)}


def to_tensor(a):
    """numpy to float32 tensor; images (N, H, W, C) move channels-first (N, C, H, W), as the model takes them."""
    t = torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))
    return t.permute(0, 3, 1, 2).contiguous() if t.dim() == 4 else t


def load_weights(model, path):
    """Loads a state_dict saved as .npz (the browser's export, or --save), checking every key fits."""
    with np.load(path) as f:
        state = {k: torch.from_numpy(f[k]) for k in f.files}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit(f"{path} does not fit this model: missing {missing}, unexpected {unexpected}")


def save_weights(model, path):
    state = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    np.savez(path, **state)


def setup_distributed():
    """One process, or one of WORLD_SIZE started by torchrun (RANK, LOCAL_RANK, MASTER_ADDR, MASTER_PORT): NCCL on GPUs, gloo on CPUs."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    if cuda:
        torch.cuda.set_device(local)
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo", rank=rank, world_size=world)
    return rank, world, torch.device(f"cuda:{local}" if cuda else "cpu")


def reduce_sums(values, device, world):
    """Sums a list of numbers over all processes."""
    t = torch.tensor(values, dtype=torch.float64, device=device)
    if world > 1:
        dist.all_reduce(t)
    return t.tolist()


def evaluate(model, x, y, rank, world, batch_size, device):
    """Loss (with the penalties) and accuracy on (x, y); each process takes every WORLD_SIZE-th example and the sums are shared."""
    model.eval()
    loss_sum, n, hit, seen = 0.0, 0, 0, 0
    with torch.no_grad():
        xs, ys = x[rank::world], y[rank::world]
        for i in range(0, len(xs), batch_size):
            xb, yb = xs[i:i + batch_size].to(device), ys[i:i + batch_size].to(device)
            p = model(xb)
            loss_sum += loss_fn(p, yb).item() * len(xb)
            n += len(xb)
            h = hits_fn(p, yb)
            if h is not None:
                hit, seen = hit + h[0], seen + h[1]
    loss_sum, n, hit, seen = reduce_sums([loss_sum, n, hit, seen], device, world)
    net = model.module if isinstance(model, DistributedDataParallel) else model
    loss = loss_sum / max(n, 1) + float(penalty(net))
    return loss, (hit / seen if seen else None)


def main():
    parser = argparse.ArgumentParser(description=${pyStr(`Train ${title} (exported by Layerboard) with PyTorch, on one process or under torchrun.`)})
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"])
    parser.add_argument("--batch-size", type=int, default=SETTINGS["batch_size"], help="examples per step on each process")
    parser.add_argument("--lr", type=float, default=SETTINGS["learning_rate"])
    parser.add_argument("--seed", type=int, default=SETTINGS["seed"])
    parser.add_argument("--weights", help="start from these weights (.npz: the browser's export, or --save)")
    parser.add_argument("--save", help="write the trained weights here (.npz); rank 0 only, unless the name holds {rank}")
    parser.add_argument("--mnist", help="the MNIST asset (MNIST data set)")
    parser.add_argument("--csv", help="the CSV file (CSV data set)")
    parser.add_argument("--images", help="the folder of class folders (images data set)")
    args = parser.parse_args()
    SETTINGS["seed"] = args.seed

    rank, world, device = setup_distributed()
    torch.manual_seed(args.seed)
    model = Model()
    if args.weights:
        load_weights(model, args.weights)
    model.to(device)
    net = model
    if world > 1:
        model = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)

    (x_train, y_train), (x_test, y_test) = load_data()
    x_train, y_train, x_test, y_test = map(to_tensor, (x_train, y_train, x_test, y_test))
    n_val = int(len(x_train) * SETTINGS["validation_split"])  # the last examples, as Keras' validation_split takes them
    x_val, y_val = x_train[len(x_train) - n_val:], y_train[len(y_train) - n_val:]
    x_train, y_train = x_train[:len(x_train) - n_val], y_train[:len(y_train) - n_val]
    train_set = TensorDataset(x_train, y_train)
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=args.seed) if world > 1 else None
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler,
                        generator=torch.Generator().manual_seed(args.seed))
    optimizer = make_optimizer(net.parameters(), args.lr)

    es = SETTINGS["early_stopping"]
    minimize = es["monitor"].endswith("loss")
    best, wait, best_state = math.inf if minimize else -math.inf, 0, None
    for epoch in range(1, args.epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        model.train()
        loss_sum, n, hit, seen = 0.0, 0, 0, 0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            p = model(xb)
            loss = loss_fn(p, yb) + penalty(net)
            optimizer.zero_grad()
            if loss.requires_grad:  # a step activation passes no gradient: nothing before it learns, as in tfjs
                loss.backward()
                optimizer.step()
            loss_sum += loss.item() * len(xb)
            n += len(xb)
            h = hits_fn(p.detach(), yb)
            if h is not None:
                hit, seen = hit + h[0], seen + h[1]
        loss_sum, n, hit, seen = reduce_sums([loss_sum, n, hit, seen], device, world)
        logs = {"epoch": epoch, "loss": loss_sum / max(n, 1), "accuracy": hit / seen if seen else None, "worldSize": world}
        if n_val > 0:
            logs["val_loss"], logs["val_accuracy"] = evaluate(model, x_val, y_val, rank, world, args.batch_size, device)
        if rank == 0:
            print(json.dumps(logs), flush=True)
        current = logs.get(es["monitor"])
        if es["enabled"] and current is not None:
            if (current < best - es["min_delta"]) if minimize else (current > best + es["min_delta"]):
                best, wait = current, 0
                best_state = copy.deepcopy(net.state_dict())
            else:
                wait += 1
                if wait >= es["patience"]:
                    break
    if es["enabled"] and es["restore_best_weights"] and best_state is not None:
        net.load_state_dict(best_state)

    test_loss, test_accuracy = evaluate(model, x_test, y_test, rank, world, args.batch_size, device)
    if rank == 0:
        print(json.dumps({"test_loss": test_loss, "test_accuracy": test_accuracy, "worldSize": world}), flush=True)
    if args.save and (rank == 0 or "{rank}" in args.save):
        save_weights(net, args.save.replace("{rank}", str(rank)))
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()`,
  ];
  return `${parts.map((x) => x.trim()).filter(Boolean).join('\n\n\n')}\n`;
}
