// Client frames: text, JSON, one of ZLiveClientMessage. Anything else gets an error frame naming
// the problem; nothing a client sends can throw past this function.
import { ZLiveClientMessage } from '@rampart/contracts';
import type { TLiveClientMessage } from '@rampart/contracts';

/** Largest client frame accepted; a larger one closes the socket (ws answers 1009). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

export type TParsedClientMessage = { ok: true; message: TLiveClientMessage } | { ok: false; message: string };

export function parseClientMessage(text: string | null): TParsedClientMessage {
  if (text === null) return { ok: false, message: 'frames are JSON text, not binary' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  const parsed = ZLiveClientMessage.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const type = typeof json === 'object' && json !== null && 'type' in json ? (json as { type: unknown }).type : undefined;
  if (typeof type !== 'string' || !['subscribe', 'unsubscribe', 'ping'].includes(type)) {
    return { ok: false, message: 'type must be subscribe, unsubscribe or ping' };
  }
  const issue = firstIssue(parsed.error.issues);
  return { ok: false, message: `bad ${type}: ${issue}` };
}

interface TIssue {
  path: PropertyKey[];
  message: string;
  code: string;
  errors?: TIssue[][];
}

/** The most specific issue: inside a union, the branch that got furthest. */
function firstIssue(issues: readonly TIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid';
  if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
    const branches = issue.errors.filter((branch) => branch.length > 0);
    const best = branches.find((branch) => !branch.some((i) => i.code === 'unrecognized_keys')) ?? branches[0];
    if (best) return firstIssue(best);
  }
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
