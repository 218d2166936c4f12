// Text PostgreSQL cannot store: a NUL character (text columns refuse it) and a UTF-16 surrogate
// without its pair (it has no UTF-8 form). Both arrive through JSON ("\u0000", "\ud800") or
// percent-encoding (%00), so every string from outside is checked, keys of free-form objects too.
import { z } from 'zod';

// Without the `u` flag the pattern sees UTF-16 code units, so it can tell a lone half from a pair.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or null when it can. */
export function unsafeTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(text)) return 'must not contain an unpaired UTF-16 surrogate';
  return null;
}

export interface TUnsafeText {
  /** Dotted path from `root`, e.g. body.spec.stages.0.name; a bad object key is named by its parent. */
  path: string;
  reason: string;
}

interface TNode {
  value: unknown;
  key: string;
  parent: TNode | null;
}

function pathOf(node: TNode): string {
  const keys: string[] = [];
  for (let at: TNode | null = node; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

/**
 * The first string in `value` (arrays and plain objects, keys included) that cannot be stored. It walks
 * with a stack of its own rather than recursing: a body of a few MB can nest thousands of levels deep.
 */
export function findUnsafeText(value: unknown, root: string): TUnsafeText | null {
  const stack: TNode[] = [{ value, key: root, parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current === 'string') {
      const reason = unsafeTextReason(current);
      if (reason) return { path: pathOf(node), reason };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries = Array.isArray(current) ? current.map((v, i) => [String(i), v] as const) : Object.entries(current);
    for (const [key] of entries) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) return { path: pathOf(node), reason: `has a key that ${keyReason}` };
    }
    // Reversed onto the stack, so the first offending field in document order is the one named.
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: node });
  }
  return null;
}

/** A string that PostgreSQL can store; for forms and any parse outside the API, which checks every input itself. */
export function safeText() {
  return z.string().superRefine((text, ctx) => {
    const reason = unsafeTextReason(text);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });
}
