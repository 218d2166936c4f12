// Helpers for the seed tests: read a rollout document's markdown (headings, checklist lines, bullets,
// code blocks) and compare a built-in playbook against it line by line.
import { expect, it } from 'vitest';
import { MESSAGE_VARIABLES, ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec, TPlaybookSpec, TStageSpec } from '@rampart/contracts';
import type { TBuiltInPlaybook } from '../../src/playbooks/built-in.js';

export interface TDocEntry {
  /** 1-based line number. */
  line: number;
  /** The text after the list marker (and checkbox), trimmed. */
  text: string;
  kind: 'checkbox' | 'bullet' | 'numbered';
  /** The nearest heading above, without its "#"s. */
  heading: string;
  /** Every enclosing heading, outermost first. */
  headings: string[];
}

const HEADING = /^(#{1,6})\s+(.*?)\s*$/;
const CHECKBOX = /^\s*(?:[-*]|\d+\.)\s+\[[ xX]\]\s+(.*?)\s*$/;
const NUMBERED = /^\s*\d+\.\s+(.*?)\s*$/;
const BULLET = /^\s*[-*]\s+(.*?)\s*$/;

/** Every list line outside code blocks, with the headings it stands under. */
export function listEntries(doc: string): TDocEntry[] {
  const entries: TDocEntry[] = [];
  const stack: { level: number; text: string }[] = [];
  let inCode = false;
  doc.split('\n').forEach((raw, index) => {
    if (raw.trimStart().startsWith('```')) {
      inCode = !inCode;
      return;
    }
    if (inCode) return;
    const heading = HEADING.exec(raw);
    if (heading) {
      const level = heading[1]!.length;
      while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, text: heading[2]! });
      return;
    }
    const context = { line: index + 1, heading: stack[stack.length - 1]?.text ?? '', headings: stack.map((h) => h.text) };
    const checkbox = CHECKBOX.exec(raw);
    const numbered = NUMBERED.exec(raw);
    const bullet = BULLET.exec(raw);
    if (checkbox) entries.push({ ...context, text: checkbox[1]!, kind: 'checkbox' });
    else if (numbered) entries.push({ ...context, text: numbered[1]!, kind: 'numbered' });
    else if (bullet) entries.push({ ...context, text: bullet[1]!, kind: 'bullet' });
  });
  return entries;
}

/** Every "- [ ]" (or "1. [ ]") line of the document. */
export function checklistLines(doc: string): TDocEntry[] {
  return listEntries(doc).filter((e) => e.kind === 'checkbox');
}

/** "Parent › Heading": the entry stands directly under the last heading, inside the others. */
function underPath(entry: TDocEntry, path: string): boolean {
  const parts = path.split(' › ');
  return entry.heading === parts[parts.length - 1] && parts.every((p) => entry.headings.includes(p));
}

/** The list lines of the given kinds directly under a heading path ("Phase 2: Partial Deployment (50%) › Actions"). */
export function bulletsUnder(doc: string, path: string, kinds: TDocEntry['kind'][] = ['bullet']): TDocEntry[] {
  return listEntries(doc).filter((e) => kinds.includes(e.kind) && underPath(e, path));
}

/**
 * The document's checklist and bullet lines (not numbered steps) outside the sections that are not
 * checklists: `notItems` maps such a heading path to the reason (each must hold list lines).
 */
export function itemCandidates(doc: string, notItems: Record<string, string>): TDocEntry[] {
  const entries = listEntries(doc);
  for (const path of Object.keys(notItems)) {
    expect(entries.some((e) => underPath(e, path)), `"${path}" holds list lines`).toBe(true);
  }
  return entries.filter((e) => e.kind !== 'numbered' && !Object.keys(notItems).some((path) => underPath(e, path)));
}

/** The content of the first fenced code block after the markers, each found after the previous one. */
export function codeBlockAfter(doc: string, ...markers: string[]): string {
  const lines = doc.split('\n');
  let at = -1;
  for (const marker of markers) {
    at = lines.findIndex((l, i) => i > at && l.includes(marker));
    if (at < 0) throw new Error(`marker not in document: ${marker}`);
  }
  const open = lines.findIndex((l, i) => i > at && l.trimStart().startsWith('```'));
  const close = lines.findIndex((l, i) => i > open && l.trimStart().startsWith('```'));
  if (open < 0 || close < 0) throw new Error(`no code block after: ${markers.join(' → ')}`);
  return lines.slice(open + 1, close).join('\n');
}

// ---- durations and percentages written in a line ----

/** Every "N%" in the text, as numbers. */
export function percentsIn(text: string): number[] {
  return [...text.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1]));
}

/** The first duration or range ("30–60 minutes", "1–2h", "2 hours", "30 min") as [min, max] seconds. */
export function durationIn(text: string): [number, number] | undefined {
  const m = /(\d+(?:\.\d+)?)(?:\s*[–-]\s*(\d+(?:\.\d+)?))?\s*(minutes?|min|hours?|h)\b/.exec(text);
  if (!m) return undefined;
  const unit = m[3]!.startsWith('h') ? 3600 : 60;
  return [Number(m[1]) * unit, Number(m[2] ?? m[1]) * unit];
}

// ---- the playbook side ----

export interface TFlatItem {
  key: string;
  text: string;
  section: string;
  phase: string;
  stageKey?: string | undefined;
  required: boolean;
  ownerRole: string;
}

export function allItems(spec: TPlaybookSpec): TFlatItem[] {
  return spec.checklist.flatMap((s) => s.items.map((i) => ({ ...i, section: s.title })));
}

export function stageOf(spec: TPlaybookSpec, key: string): TStageSpec {
  const found = spec.stages.find((s) => s.key === key);
  if (!found) throw new Error(`no stage ${key}`);
  return found;
}

export function gateOf(spec: TPlaybookSpec, key: string): TGateSpec {
  const found = spec.gates.find((g) => g.key === key);
  if (!found) throw new Error(`no gate ${key}`);
  return found;
}

export function itemOf(spec: TPlaybookSpec, text: string): TFlatItem {
  const found = allItems(spec).find((i) => i.text === text);
  if (!found) throw new Error(`no item "${text}"`);
  return found;
}

/** An item encodes a document line when its text is the line, or the line followed by an addition. */
function encodes(itemText: string, lineText: string): boolean {
  return itemText === lineText || itemText.startsWith(`${lineText} `);
}

/**
 * Every given document line is an item of a section titled by its heading (or "Parent › Heading"),
 * except the excluded lines, each with its reason (and each excluded line must exist).
 */
export function expectItemsCover(spec: TPlaybookSpec, lines: TDocEntry[], excluded: Record<string, string> = {}): void {
  const items = allItems(spec);
  const missing: string[] = [];
  for (const entry of lines) {
    if (entry.text in excluded) continue;
    const matches = items.filter((i) => encodes(i.text, entry.text));
    if (!matches.some((i) => i.section === entry.heading || i.section.endsWith(` › ${entry.heading}`))) {
      missing.push(`line ${entry.line} under "${entry.heading}": ${entry.text}`);
    }
  }
  expect(missing, 'document lines without an item in their section').toEqual([]);
  for (const text of Object.keys(excluded)) {
    expect(lines.map((l) => l.text), 'an excluded line is a line of the document').toContain(text);
  }
}

/** The comment lines inside the document's code blocks, without their "#". */
export function codeComments(doc: string): string[] {
  const comments: string[] = [];
  let inCode = false;
  for (const raw of doc.split('\n')) {
    if (raw.trimStart().startsWith('```')) inCode = !inCode;
    else if (inCode && /^\s*#\s/.test(raw)) comments.push(raw.trim().replace(/^#\s*/, ''));
  }
  return comments;
}

/** The document line(s) a source quotes: every line that is not a "Rampart:" note. */
function quotedLines(source: string | undefined): string[] {
  return (source ?? '').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Rampart:'));
}

/** The text a known gap quotes: `"quoted text": why Rampart cannot express it`. */
export function quotedInGap(gap: string): string | undefined {
  return /^"(.+?)":/.exec(gap)?.[1];
}

/** Each template line is the document block's line, or that line's substitution (which must be a line of the block). */
export function expectTemplate(body: string, block: string, substitutions: Record<string, string> = {}): void {
  const blockLines = block.split('\n');
  for (const original of Object.keys(substitutions)) expect(blockLines, 'substituted line is in the block').toContain(original);
  expect(body).toBe(blockLines.map((l) => substitutions[l] ?? l).join('\n'));
}

/** Checks every seed playbook shares: validity, honest sources, template variables, verbatim items, honest gaps. */
export function commonPlaybookTests(playbook: TBuiltInPlaybook, doc: string, knownGaps: readonly string[]): void {
  it('parses with ZPlaybookSpec', () => {
    const result = ZPlaybookSpec.safeParse(playbook.spec);
    expect(result.success ? [] : result.error.issues).toEqual([]);
    expect(playbook.sourceDocument).toMatch(/^docs\/seeds\/\d{3}_[0-9a-f]+\.md$/);
  });

  it('quotes only lines of the document in stage, gate, incident response and window sources', () => {
    const spec = ZPlaybookSpec.parse(playbook.spec);
    const sources = [
      ...[...spec.stages, ...spec.gates].map((x) => ({ key: x.key, lines: quotedLines(x.source) })),
      ...spec.incidentResponses.map((r, i) => ({ key: `incidentResponses[${i}]`, lines: quotedLines(r.source) })),
      ...spec.windows.map((w, i) => ({ key: `windows[${i}]`, lines: quotedLines(w.source) })),
    ];
    for (const { key, lines } of sources) {
      expect(lines.length, `${key} has a source`).toBeGreaterThan(0);
      for (const line of lines) expect(doc, `source of ${key}`).toContain(line);
    }
  });

  it('takes every checklist item from a line of the document', () => {
    const spec = ZPlaybookSpec.parse(playbook.spec);
    const lines = listEntries(doc).map((e) => e.text);
    // A rollback procedure may also take a step from a commented command ("# Rollback migration").
    const commented = codeComments(doc);
    const invented = allItems(spec).filter(
      (i) => !lines.some((l) => encodes(i.text, l)) && !(i.phase === 'on_rollback' && commented.some((l) => encodes(i.text, l))),
    );
    expect(invented.map((i) => i.text)).toEqual([]);
  });

  it('leaves no blank like "[time left]" in a template: every blank is a variable', () => {
    const spec = ZPlaybookSpec.parse(playbook.spec);
    const blanks = spec.messages.flatMap((m) => [...m.body.matchAll(/\[[^\]\n]*\]/g)].map((b) => `${m.key}: ${b[0]}`));
    expect(blanks).toEqual([]);
  });

  it('uses only known message variables', () => {
    const spec = ZPlaybookSpec.parse(playbook.spec);
    for (const message of spec.messages) {
      const names = [...message.body.matchAll(/\{\{\{?\s*[#^/&]?\s*([\w.]+)\s*\}?\}\}/g)].map((m) => m[1]!);
      for (const name of names) expect(Object.keys(MESSAGE_VARIABLES), `${message.key} uses {{${name}}}`).toContain(name);
    }
  });

  it.each(knownGaps.map((gap) => [gap]))('known gap is quoted from the document: %s', (gap) => {
    const quoted = quotedInGap(gap);
    expect(quoted, 'a known gap starts with "quoted text":').toBeDefined();
    expect(doc).toContain(quoted);
  });
}

/** A stage encodes its line(s): the values, and whatever percent and duration the line(s) state. */
export function expectStage(
  spec: TPlaybookSpec,
  doc: string,
  key: string,
  lines: string,
  expected: { trafficPercent: number; minBakeSeconds: number; maxBakeSeconds?: number },
): void {
  const stage = stageOf(spec, key);
  for (const line of lines.split('\n')) {
    expect(doc).toContain(line);
    expect(stage.source).toContain(line);
  }
  expect(stage).toMatchObject(expected);
  if (expected.maxBakeSeconds === undefined) expect(stage.maxBakeSeconds).toBeUndefined();
  const percents = percentsIn(lines);
  if (percents.length > 0) expect(percents, `${key}: the line states its percent`).toContain(stage.trafficPercent);
  const duration = durationIn(lines);
  if (duration) expect(duration).toEqual([stage.minBakeSeconds, stage.maxBakeSeconds ?? stage.minBakeSeconds]);
}

/** A gate encodes its document line: the line is in the document and in the source; the values match. */
export function expectGate(spec: TPlaybookSpec, doc: string, key: string, line: string, expected: Record<string, unknown>): void {
  const gate = gateOf(spec, key);
  expect(doc).toContain(line);
  expect(gate.source).toContain(line);
  expect(gate).toMatchObject(expected);
}
