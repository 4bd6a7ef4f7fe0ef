import { compile } from '@/graph-compiler';
import { TEMPLATES, templateById } from '@/lib/templates';
import { denseChain } from '@/lib/training/neurons';

describe('templates', () => {
  it.each(TEMPLATES.filter((t) => t.id !== 'blank').map((t) => [t.id, t] as const))('%s compiles with no errors', (_id, t) => {
    const result = compile(t.doc);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(t.doc.format).toBe('layerboard.graph');
    expect(t.doc.version).toBe(1);
  });

  it('New blank is an empty version-1 document', () => {
    const doc = templateById('blank')!.doc;
    expect(doc.nodes).toEqual([]);
    expect(compile(doc).diagnostics.map((d) => d.code)).toEqual(['empty-graph']);
  });

  it.each([
    ['lenet5', 61_706],
    ['mnist-convnet', 34_826],
  ])('%s has the published total of %i params', (id, total) => {
    expect(compile(templateById(id)!.doc).totals.totalParams).toBe(total);
  });

  it('the perceptron is one Dense unit with a step activation', () => {
    const doc = templateById('perceptron')!.doc;
    const dense = doc.nodes.filter((n) => n.type === 'Dense');
    expect(dense).toHaveLength(1);
    expect(dense[0].params).toMatchObject({ units: 1, activation: 'step' });
  });

  it('the ResNet and MobileNet templates use Add and DepthwiseConv2D', () => {
    expect(templateById('resnet-blocks')!.doc.nodes.some((n) => n.type === 'Add')).toBe(true);
    expect(templateById('mobilenet')!.doc.nodes.some((n) => n.type === 'DepthwiseConv2D')).toBe(true);
    expect(templateById('maxout-mlp')!.doc.nodes.some((n) => n.type === 'Maxout')).toBe(true);
  });

  it('the neuron view draws the Perceptron and the Playground circle, not the MNIST MLP (784 inputs)', () => {
    expect(denseChain(compile(templateById('perceptron')!.doc)).chain).not.toBeNull();
    const circle = denseChain(compile(templateById('playground-circle')!.doc)).chain;
    expect(circle).not.toBeNull();
    expect(denseChain(compile(templateById('mlp')!.doc)).chain).toBeNull();
  });
});
