// Small authoring helpers for the built-in playbooks: a checklist is written as rows of
// [document text, owner, options] and gets its slug keys here, unique across the playbook.
import type { TChecklistOwner, TPlaybookSpecInput } from '@rampart/contracts';

type TSectionInput = NonNullable<TPlaybookSpecInput['checklist']>[number];
type TItemInput = TSectionInput['items'][number];

/** Where an item belongs: before the start, at a stage (by key), after completion, or in the rollback procedure. */
export type TPlacement = 'before_start' | 'after_completion' | 'on_rollback' | { stage: string };

export interface TItemOptions {
  /** The document marks the item as conditional: "(if applicable)", "(if needed)", ... */
  optional?: boolean;
  /** Overrides the section's placement for this item. */
  at?: TPlacement;
}

/** [the item's text as the document writes it, who ticks it, options] */
export type TItemRow = readonly [text: string, owner: TChecklistOwner, options?: TItemOptions];

export interface TSectionDraft {
  /** The document heading the items stand under. */
  title: string;
  at: TPlacement;
  items: readonly TItemRow[];
}

export function stage(key: string): TPlacement {
  return { stage: key };
}

/** Lowercase words joined by "-", cut at a word boundary to at most `max` characters. */
export function slugify(text: string, max = 48): string {
  const full = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (full.length <= max) return full || 'item';
  const cut = full.slice(0, max);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 16 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/**
 * Turns section drafts into checklist sections. Keys are slugs of the item text; a text that
 * repeats (the same task at several stages) gets its stage key, then a number, appended.
 */
export function buildChecklist(drafts: readonly TSectionDraft[]): TSectionInput[] {
  const used = new Set<string>();
  return drafts.map((draft) => ({
    title: draft.title,
    items: draft.items.map(([text, ownerRole, options = {}]): TItemInput => {
      const at = options.at ?? draft.at;
      const stageKey = typeof at === 'object' ? at.stage : undefined;
      let key = slugify(text);
      if (used.has(key) && stageKey !== undefined) key = `${key}-${stageKey}`;
      const base = key;
      for (let n = 2; used.has(key); n += 1) key = `${base}-${n}`;
      used.add(key);
      return stageKey === undefined
        ? { key, text, phase: at as Exclude<TPlacement, { stage: string }>, required: !options.optional, ownerRole }
        : { key, text, phase: 'stage', stageKey, required: !options.optional, ownerRole };
    }),
  }));
}
