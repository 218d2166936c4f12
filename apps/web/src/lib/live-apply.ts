// Puts what the live stream pushes into the react-query cache, and fills gaps after a reconnect.
import type { QueryClient } from '@tanstack/react-query';
import type { TLiveMetricPoint, TLiveServerMessage, TRelease, TReleaseList, TReleaseSummary } from '@rampart/contracts';
import { api, type TEventPage } from '../api/endpoints';
import { keys } from '../api/keys';
import { serverNow } from './server-clock';
import {
  type LiveSeries,
  foldPoints,
  gapClosed,
  hasEventGap,
  lastPointTime,
  latestEventId,
  mergeEvents,
  newerRelease,
  spliceCatchUp,
  upsertSummary,
} from './live-cache';

type ListFilters = { state?: string; service?: string };

function matchesFilters(filters: ListFilters) {
  return (summary: TReleaseSummary) =>
    (!filters.state || filters.state.split(',').includes(summary.state)) &&
    (!filters.service || summary.service === filters.service);
}

export function applySummary(client: QueryClient, release: TReleaseSummary | TRelease): void {
  for (const [key] of client.getQueriesData({ queryKey: keys.releasesAll })) {
    const filters = (key[1] ?? {}) as ListFilters;
    client.setQueryData<TReleaseList>(key, (list) =>
      upsertSummary(list, release, matchesFilters(filters)),
    );
  }
}

export class LiveCache {
  private pending = new Map<string, TLiveMetricPoint[]>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly client: QueryClient, private readonly batchMs = 300) {}

  apply(message: TLiveServerMessage): void {
    switch (message.type) {
      case 'release': {
        const before = this.client.getQueryData<TRelease>(keys.release(message.release.id));
        this.client.setQueryData<TRelease>(keys.release(message.release.id), (current) => newerRelease(current, message.release));
        applySummary(this.client, message.release);
        if (!before || before.revision !== message.release.revision) {
          void this.client.invalidateQueries({ queryKey: keys.messages(message.release.id) });
          void this.client.invalidateQueries({ queryKey: keys.status });
          void this.client.invalidateQueries({ queryKey: keys.incidents(message.release.id) });
          void this.client.invalidateQueries({ queryKey: keys.people(message.release.id) });
        }
        return;
      }
      case 'release-summary':
        applySummary(this.client, message.release);
        void this.client.invalidateQueries({ queryKey: keys.status });
        return;
      case 'events': {
        // Incidents and pages have no message of their own on the stream: their events say when to refetch.
        if (message.events.some((e) => e.type.startsWith('incident.'))) {
          void this.client.invalidateQueries({ queryKey: keys.incidents(message.releaseId) });
          void this.client.invalidateQueries({ queryKey: keys.status });
        }
        if (message.events.some((e) => e.type === 'contact.paged' || e.type.startsWith('page.'))) {
          void this.client.invalidateQueries({ queryKey: keys.people(message.releaseId) });
        }
        const key = keys.events(message.releaseId);
        const page = this.client.getQueryData<TEventPage>(key);
        if (!page) return;
        if (hasEventGap(page.events, message.previousId)) {
          void this.fillEventGap(message.releaseId);
        }
        this.client.setQueryData<TEventPage>(key, (current) =>
          current ? { ...current, events: mergeEvents(current.events, message.events) } : current,
        );
        return;
      }
      case 'metrics': {
        const list = this.pending.get(message.releaseId) ?? [];
        list.push(...message.points);
        this.pending.set(message.releaseId, list);
        if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.batchMs);
        return;
      }
      case 'analysis':
        this.client.setQueryData(keys.analysis(message.releaseId), message.analysis);
        return;
      case 'resync':
        if (message.releaseIds === null) {
          void this.catchUp(this.followedReleaseIds(), true);
        } else {
          void this.catchUp(message.releaseIds, false);
        }
        return;
      default:
        return;
    }
  }

  /** Append batched metric points (every ~300 ms) into every cached window of their release. */
  flush(): void {
    this.flushTimer = null;
    const pending = this.pending;
    this.pending = new Map();
    for (const [releaseId, points] of pending) {
      for (const [key, series] of this.client.getQueriesData<LiveSeries>({ queryKey: keys.seriesOf(releaseId) })) {
        if (!series) continue;
        const next = foldPoints(series, points);
        if (next !== series) this.client.setQueryData(key, next);
      }
    }
  }

  private followedReleaseIds(): string[] {
    return this.client
      .getQueriesData<TRelease>({ queryKey: ['release'] })
      .map(([key]) => String(key[1]));
  }

  /** After a reconnect or a shown tab: the release, the events since the last id, the points since the last t. */
  async catchUp(releaseIds: readonly string[], lists: boolean): Promise<void> {
    if (lists) {
      void this.client.invalidateQueries({ queryKey: keys.releasesAll });
      void this.client.invalidateQueries({ queryKey: keys.status });
    }
    await Promise.all(
      releaseIds.map(async (id) => {
        void this.client.invalidateQueries({ queryKey: keys.release(id) });
        void this.client.invalidateQueries({ queryKey: keys.analysis(id) });
        void this.client.invalidateQueries({ queryKey: keys.messages(id) });
        void this.client.invalidateQueries({ queryKey: keys.incidents(id) });
        void this.client.invalidateQueries({ queryKey: keys.people(id) });
        await Promise.all([this.fillEventGap(id), this.fillSeriesGaps(id)]);
      }),
    );
  }

  async fillEventGap(releaseId: string): Promise<void> {
    const key = keys.events(releaseId);
    const known = this.client.getQueryData<TEventPage>(key);
    if (!known) return;
    const knownLatest = latestEventId(known.events);
    let fetched: TEventPage['events'] = [];
    let before: string | undefined;
    // Page back from the newest until we reach what we hold (bounded: at most 10 pages).
    for (let i = 0; i < 10; i += 1) {
      const page = await api.events(releaseId, { limit: 200, ...(before ? { before } : {}) });
      fetched = fetched.concat(page.events);
      if (gapClosed(knownLatest, page.events, page.nextBefore)) break;
      before = page.nextBefore ?? undefined;
    }
    this.client.setQueryData<TEventPage>(key, (current) =>
      current ? { ...current, events: mergeEvents(current.events, fetched) } : current,
    );
  }

  async fillSeriesGaps(releaseId: string): Promise<void> {
    const cached = this.client.getQueriesData<LiveSeries>({ queryKey: keys.seriesOf(releaseId) });
    await Promise.all(
      cached.map(async ([key, series]) => {
        if (!series) return;
        const since = lastPointTime(series) ?? series.fromMs;
        const catchUp = await api.series(releaseId, {
          metric: series.metric,
          from: since,
          to: serverNow(),
          step: series.stepMs / 1000,
        });
        this.client.setQueryData<LiveSeries>(key, (current) => (current ? spliceCatchUp(current, catchUp, since) : current));
      }),
    );
  }

  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }
}
