/**
 * Shared declaration of the 2-D pooling layers; each pooling type is still its own module
 * (max-pooling2d.ts, average-pooling2d.ts, ...) that fills in the differences.
 */
import { kw, pyStr, pyTuple } from '../emit/python';
import { checkedWindow, pairText, window2d } from '../conv-utils';
import { pair, without } from '../interop/keras-config';
import { defineLayer, fmtShape, needsImage } from '../layer-spec';
import { choice, intOrPair, type IntPair } from '../params';
import type { PytorchForm } from '../interop/pytorch-form';
import { readGlobalPool, readPool, writeGlobalPool, writePool, type GlobalPoolType, type PoolType } from '../interop/onnx-form';

/** The validated params of a 2-D pooling layer. */
export interface PoolParams {
  poolSize: IntPair;
  strides?: IntPair;
  padding: 'valid' | 'same';
}

const poolParams = {
  poolSize: intOrPair({ default: [2, 2] as IntPair, help: 'Height and width of the pooling window' }),
  strides: intOrPair({ help: 'Step of the window; empty means the pool size (windows do not overlap)' }),
  padding: choice(['valid', 'same'], { default: 'valid', help: '"valid": drop what does not fill a window; "same": pad so that the output is ⌈input/stride⌉' }),
};

/** A MaxPooling2D/AveragePooling2D-style layer. */
export function definePooling2d(o: {
  type: string;
  description: string;
  keywords?: string;
  /** Other class names Keras spells it with (MaxPool2D). */
  aliases: string[];
  example: { params: Record<string, unknown>; inputs: number[][] };
  pytorch: PytorchForm<PoolParams>;
}) {
  return defineLayer({
    type: o.type,
    category: 'pooling',
    description: o.description,
    params: poolParams,
    arity: { min: 1, max: 1 },
    summary: (p) => {
      const s = p.strides ?? p.poolSize;
      return `${pairText(p.poolSize)}${s[0] !== p.poolSize[0] || s[1] !== p.poolSize[1] ? ` /${s[0] === s[1] ? s[0] : s.join(',')}` : ''} ${p.padding}`;
    },
    inferShape: (p, [x], ctx) => {
      if (x.length !== 3) return needsImage(o.type, x, ctx);
      const hw = checkedWindow('pool', x, p.poolSize, p.strides ?? p.poolSize, p.padding, ctx);
      return hw && [hw[0], hw[1], x[2]];
    },
    shapeFormula: (p, { inputs: [x] }) => window2d(x, p.poolSize, p.strides ?? p.poolSize, p.padding).formula,
    keywords: o.keywords,
    example: o.example,
    tfjs: {
      write: (p) => ({
        class_name: o.type,
        config: { pool_size: p.poolSize, padding: p.padding, strides: p.strides ?? p.poolSize, data_format: 'channels_last' },
      }),
      reads: [o.type, ...o.aliases],
      read: (c) => {
        const poolSize = pair(c.pool_size ?? 2);
        const strides = c.strides === null || c.strides === undefined ? undefined : pair(c.strides);
        const same = JSON.stringify(strides) === JSON.stringify(poolSize);
        return { params: without({ poolSize, strides: same ? undefined : strides, padding: c.padding }, { poolSize: 2, padding: 'valid' }) };
      },
    },
    onnx: {
      write: (p, io, _w, ctx) => writePool(o.type as PoolType, p, io, ctx),
      ops: [o.type === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool'],
      read: (node, ctx) => readPool(o.type as PoolType, node, ctx),
    },
    toKeras: (p) => ({
      cls: `layers.${o.type}`,
      args: [pyTuple(p.poolSize), ...(p.strides ? [`strides=${pyTuple(p.strides)}`] : []), ...kw('padding', pyStr(p.padding), p.padding === 'valid')],
    }),
    pytorch: o.pytorch,
  });
}

/** A GlobalAveragePooling2D-style layer: [h, w, c] → [c]. */
export function defineGlobalPooling2d(o: {
  type: string; description: string; keywords?: string; aliases: string[]; example: { params: Record<string, unknown>; inputs: number[][] };
  pytorch: PytorchForm<Record<string, never>>;
}) {
  return defineLayer({
    type: o.type,
    category: 'pooling',
    description: o.description,
    params: {},
    arity: { min: 1, max: 1 },
    summary: () => 'h×w×c → c',
    inferShape: (_p, [x], ctx) => (x.length !== 3 ? needsImage(o.type, x, ctx) : [x[2]]),
    shapeFormula: (_p, { inputs: [x], output }) => [`${fmtShape(x)} → ${fmtShape(output)}: one value per channel over ${x[0]}×${x[1]} positions`],
    keywords: o.keywords,
    example: o.example,
    tfjs: {
      write: () => ({ class_name: o.type, config: { data_format: 'channels_last' } }),
      reads: [o.type, ...o.aliases],
      read: (c) => (c.keepdims === true
        ? { reason: 'keepdims=true is not supported (the output would keep its 1×1 spatial axes)' }
        : { params: {} }),
    },
    onnx: {
      write: (_p, io, _w, ctx) => writeGlobalPool(o.type as GlobalPoolType, io, ctx),
      ops: o.type === 'GlobalMaxPooling2D' ? ['GlobalMaxPool', 'ReduceMax'] : ['GlobalAveragePool', 'ReduceMean'],
      read: (node, ctx) => readGlobalPool(o.type as GlobalPoolType, node, ctx),
    },
    toKeras: () => ({ cls: `layers.${o.type}`, args: [] }),
    pytorch: o.pytorch,
  });
}
