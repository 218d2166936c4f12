// What PostgreSQL cannot store, found wherever it hides in a request, and named by its path.
import { describe, expect, it } from 'vitest';
import { boundedText, findUnsafeText, safeText, unsafeTextReason } from '../src/index.js';

describe('unsafeTextReason', () => {
  it('refuses a NUL and a surrogate without its pair, and takes everything else', () => {
    expect(unsafeTextReason('a\u0000b')).toMatch(/NUL/);
    expect(unsafeTextReason('x\ud800')).toMatch(/unpaired/);
    expect(unsafeTextReason('\udc00x')).toMatch(/unpaired/);
    expect(unsafeTextReason('\ud800\ud800\udc00')).toMatch(/unpaired/);
    expect(unsafeTextReason('rocket \ud83d\ude80, é, 中文, \u202e')).toBeNull();
    expect(unsafeTextReason('')).toBeNull();
  });
});

describe('findUnsafeText', () => {
  it('names the first offending string in document order, in arrays, nested objects and keys', () => {
    const body = { ok: 'fine', spec: { stages: [{ name: 'a' }, { name: 'b\u0000' }], other: '\ud800' } };
    expect(findUnsafeText(body, 'body')).toEqual({ path: 'body.spec.stages.1.name', reason: 'must not contain a NUL character' });
    expect(findUnsafeText({ labels: { 'k\u0000': 'v' } }, 'body')).toEqual({ path: 'body.labels', reason: 'has a key that must not contain a NUL character' });
    expect(findUnsafeText({ id: 'x\u0000' }, 'params')?.path).toBe('params.id');
    expect(findUnsafeText([1, true, null, { a: 'b' }], 'body')).toBeNull();
  });

  it('walks a body nested 100,000 levels deep without running out of stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const found = findUnsafeText(deep, 'body');
    expect(found?.reason).toMatch(/NUL/);
    expect(found?.path.split('.')).toHaveLength(100_001);
  });
});

describe('safeText and boundedText', () => {
  it('refuse what cannot be stored with the reason as the message', () => {
    expect(safeText().safeParse('a\u0000').error?.issues[0]?.message).toBe('must not contain a NUL character');
    expect(boundedText(10).safeParse(' ok ').data).toBe('ok');
    expect(boundedText(10).safeParse('\udfff').success).toBe(false);
  });
});
