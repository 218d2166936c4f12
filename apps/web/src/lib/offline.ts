// When the server cannot be reached, a page keeps what it last knew and says since when. Pure: tested in
// apps/web/test.
import { ApiError } from '../api/client';
import { formatClock } from './format';

/** The server did not answer (network down, or a proxy in front of it saying so), as opposed to refusing. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.kind === 'network' || error.status === 502 || error.status === 503 || error.status === 504;
}

/** What a page shows for a query: its data (maybe stale), or, with nothing known yet, the error. */
export type TQueryView = { kind: 'pending' } | { kind: 'error'; error: unknown } | { kind: 'data'; offline: boolean };

export function viewOf(query: { isPending: boolean; data: unknown; isError: boolean; error: unknown }): TQueryView {
  if (query.data !== undefined) return { kind: 'data', offline: query.isError && isUnreachable(query.error) };
  if (query.isPending) return { kind: 'pending' };
  return { kind: 'error', error: query.error };
}

/**
 * Since when the page has been offline: the first failure of a run of them, kept while they last, cleared
 * by the first answer. `failedAt` is when the latest failure was recorded.
 */
export function nextOfflineSince(previous: number | null, offline: boolean, failedAt: number): number | null {
  if (!offline) return null;
  return previous ?? failedAt;
}

export function offlineText(since: number): string {
  return `Offline since ${formatClock(since, true)} — showing what was known then; retrying`;
}
