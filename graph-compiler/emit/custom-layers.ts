/**
 * Layers tfjs does not have (Maxout, the Heaviside step, ...) are declared by their layer
 * modules (`tfjsClasses`), defined against the tfjs namespace passed in (the compiler never
 * imports tfjs itself), and registered here with tfjs serialization, so that a model built from
 * a graph, or a saved one, loads with `tf.loadLayersModel` once `registerCustomLayers(tf)` ran.
 */
import type { TF, TfLayerClass } from '../layer-spec';
import { LAYERS } from '../layers';

const registered = new WeakMap<object, ReadonlyMap<string, TfLayerClass>>();

/** Defines (once per tfjs instance) and registers every layer module's custom classes; returns them by class name. */
export function registerCustomLayers(tf: TF): ReadonlyMap<string, TfLayerClass> {
  const known = registered.get(tf);
  if (known) return known;
  const classes = new Map<string, TfLayerClass>();
  for (const spec of LAYERS) {
    for (const cls of spec.tfjsClasses?.(tf) ?? []) {
      tf.serialization.registerClass(cls as never);
      classes.set(cls.className, cls);
    }
  }
  registered.set(tf, classes);
  return classes;
}
