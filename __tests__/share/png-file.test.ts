/**
 * The byte-level pieces of sharing: CRC-32, base64url (against Node's own encoder), PNG tEXt
 * chunks (against a PNG made by other tools), the document in PNG and SVG images, and opening
 * whatever file a person drops on the canvas.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { strToU8 } from 'fflate';
import type { GraphDocument } from '@/graph-compiler';
import { fromBase64Url, toBase64Url } from '@/lib/share/base64url';
import { crc32 } from '@/lib/share/crc32';
import {
  documentFileName, documentJson, documentTextFromSvg, embedDocumentInSvg, MAX_FILE_BYTES, openFileBytes,
} from '@/lib/share/file';
import {
  documentTextFromPng, embedDocumentInPng, isPng, PNG_DOCUMENT_KEYWORD, readPngChunks, readPngText, writePngText,
} from '@/lib/share/png-text';
import { fixtureDoc } from './design';

/** A 1×1 PNG as common tools write it (IHDR, IDAT, IEND). */
const TINY_PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));

test('CRC-32 check value', () => {
  expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
  expect(crc32(strToU8('6789'), crc32(strToU8('12345')))).toBe(0xcbf43926);
});

test('base64url agrees with Node in both directions', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    const ours = toBase64Url(bytes);
    expect(ours).toBe(Buffer.from(bytes).toString('base64url'));
    expect(Array.from(fromBase64Url(ours)!)).toEqual(Array.from(bytes));
  }));
  expect(fromBase64Url('ab$c')).toBeNull();
  expect(fromBase64Url('abcde')).toBeNull();
});

describe('PNG chunks', () => {
  test('reads a PNG written by other tools, every CRC right', () => {
    expect(isPng(TINY_PNG)).toBe(true);
    const chunks = readPngChunks(TINY_PNG)!;
    expect(chunks.map((c) => [c.type, c.crcOk])).toEqual([['IHDR', true], ['IDAT', true], ['IEND', true]]);
    expect(readPngText(TINY_PNG)!.size).toBe(0);
  });

  test('adds a tEXt chunk before IEND, replaces one with the same keyword, keeps the rest', () => {
    const once = writePngText(TINY_PNG, 'Comment', 'hello');
    expect(readPngChunks(once)!.map((c) => [c.type, c.crcOk])).toEqual([['IHDR', true], ['IDAT', true], ['tEXt', true], ['IEND', true]]);
    expect(Array.from(once.subarray(0, 33 + 12 + 11))).toEqual(Array.from(TINY_PNG.subarray(0, 33 + 12 + 11)));
    const twice = writePngText(writePngText(once, 'Author', 'me'), 'Comment', 'bye');
    expect(Object.fromEntries(readPngText(twice)!)).toEqual({ Author: 'me', Comment: 'bye' });
    expect(readPngChunks(twice)!.filter((c) => c.type === 'tEXt')).toHaveLength(2);
    // The tEXt layout itself: keyword, a zero byte, the text.
    const text = readPngChunks(once)!.find((c) => c.type === 'tEXt')!;
    expect(Buffer.from(text.data).toString('latin1')).toBe('Comment\0hello');
  });

  test('refuses what tEXt cannot hold, and what is not a PNG', () => {
    expect(() => writePngText(TINY_PNG, 'k', 'snow ☃')).toThrow(/Latin-1/);
    expect(() => writePngText(TINY_PNG, '', 'x')).toThrow(/1 to 79/);
    expect(() => writePngText(TINY_PNG, 'x'.repeat(80), 'x')).toThrow(/1 to 79/);
    expect(() => writePngText(strToU8('GIF89a'), 'k', 'x')).toThrow(/not a PNG/);
    expect(readPngChunks(TINY_PNG.subarray(0, 40))).toBeNull();
  });

  test('a chunk with a wrong CRC is not read', () => {
    const bytes = writePngText(TINY_PNG, 'Comment', 'hello');
    const at = readPngChunks(bytes)!.find((c) => c.type === 'tEXt')!.offset;
    bytes[at + 10] ^= 1;
    expect(readPngText(bytes)!.has('Comment')).toBe(false);
  });

  test('the document travels in the PNG, non-Latin-1 labels included', () => {
    const doc = fixtureDoc('lenet5');
    doc.nodes[1].label = 'Faltung ☃ 卷积';
    const png = embedDocumentInPng(TINY_PNG, doc);
    const text = readPngText(png)!.get(PNG_DOCUMENT_KEYWORD)!;
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(documentTextFromPng(png)!)).toEqual(doc);
  });
});

describe('opening files', () => {
  const lenet = fixtureDoc('lenet5');
  const open = (name: string, bytes: Uint8Array | string) => openFileBytes(name, typeof bytes === 'string' ? strToU8(bytes) : bytes);

  test('a graph .json (with or without a byte-order mark)', () => {
    for (const text of [documentJson(lenet), `\uFEFF${documentJson(lenet)}`]) {
      const r = open('lenet-5.json', text);
      expect(r.ok && [r.kind, r.doc, r.result.totals.totalParams]).toEqual(['graph', lenet, 61_706]);
    }
  });

  test('a PNG or SVG exported by Layerboard opens as its graph', () => {
    const png = open('lenet-5.png', embedDocumentInPng(TINY_PNG, lenet));
    expect(png.ok && [png.kind, png.doc]).toEqual(['png', lenet]);
    const svg = embedDocumentInSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>', { ...lenet, name: 'a ]]> b' });
    expect(documentTextFromSvg(svg)).not.toBeNull();
    const opened = open('lenet-5.svg', svg);
    expect(opened.ok && [opened.kind, opened.doc.name]).toEqual(['svg', 'a ]]> b']);
  });

  test('a Keras model.json opens as a graph, with what was left out', () => {
    const json = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'model-json', 'keras2-sequential-mnist-convnet.json'), 'utf8'));
    json.modelTopology.model_config.config.layers[6].class_name = 'AlphaDropout';
    const r = open('model.json', JSON.stringify(json));
    expect(r.ok && r.kind).toBe('model.json');
    expect(r.ok && r.messages).toEqual([expect.stringMatching(/Layer "dropout" \(AlphaDropout\) is not supported/)]);
  });

  test.each([
    ['notes.txt', 'hello', /notes\.txt is not JSON/],
    ['photo.png', TINY_PNG, /PNG image without a Layerboard graph/],
    ['icon.svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>', /SVG image without a Layerboard graph/],
    ['other.json', '{"format":"other"}', /other\.json is not a Layerboard graph: not a graph document: "format" is "other"/],
    ['newer.json', '{"format":"layerboard.graph","version":3,"nodes":[],"edges":[]}', /version 3 is newer/],
    ['graph.pb.json', '{"format":"graph-model","modelTopology":{}}', /graph model/],
  ])('%s cannot be opened: a message', (name, bytes, message) => {
    const r = open(name, bytes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });

  test('a file over the size limit is not read', () => {
    const r = openFileBytes('huge.json', new Uint8Array(MAX_FILE_BYTES + 1));
    expect(!r.ok && r.message).toMatch(/at most 50 MB/);
  });

  test('a graph with errors still opens (its problems are shown)', () => {
    const broken = { ...lenet, nodes: lenet.nodes.map((n) => (n.id === 'c3' ? { ...n, params: { ...n.params, kernelSize: 20 } } : n)) } as GraphDocument;
    const r = open('broken.json', JSON.stringify(broken));
    expect(r.ok && r.result.ok).toBe(false);
  });

  test('file names from document names', () => {
    expect(documentFileName(lenet)).toBe('lenet-5.json');
    expect(documentFileName({ ...lenet, name: 'Réseau à convolution!' }, '.png')).toBe('reseau-a-convolution.png');
    expect(documentFileName({ ...lenet, name: undefined })).toBe('graph.json');
  });
});
