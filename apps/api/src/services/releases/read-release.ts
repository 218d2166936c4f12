// GET /api/releases/:id for pages and pollers. A release is read far more often than it changes, so
// each read starts with its stamp (one small query): a poller whose copy is current gets its answer from
// that alone, and otherwise the page is rendered once per change of the row and kept, with only the
// action buttons (which follow the clock and the latest verdicts) worked out again per read.
// Under load the stamp query itself was most of what a read cost (each round trip to PostgreSQL costs
// this machine more CPU than sending 50 KB), so readers arriving together share one (FreshReads).
// Profiling the old path showed where the time went: every read loaded and parsed the release's copy
// of its playbook (about 30 KB of JSON, then validated by zod) and its stored analysis, then validated
// the whole answer again on the way out.
import type { TPlaybookSpec, TRelease } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TReleaseSnapshot } from '@rampart/domain';
import { actionAvailability, gateStatusesForStage, outsideWindows } from '@rampart/domain';
import type { Db } from '../../db/prisma.js';
import { notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { releaseInclude, snapshotOf } from './release-record.js';
import type { TReleaseViewRow } from './release-record.js';
import type { TReleaseStamp } from './release-stamp.js';
import { loadReleaseStamp, releaseEtag } from './release-stamp.js';
import { releaseWithoutActions } from './release-view.js';
import { FreshReads } from './cached-read.js';

interface TRendered {
  revision: number;
  updatedAtMs: number;
  renderedAtMs: number;
  /** The answer's JSON up to (not including) its closing brace, without the actions, encoded once. */
  head: Buffer;
  snapshot: TReleaseSnapshot;
  spec: TPlaybookSpec;
  stage: { key: string; trafficPercent: number } | null;
  /** The last whole answer, for reads of the same validator at the same instant (a burst of pollers). */
  answer: { key: string; body: Buffer } | null;
}

/** Renders kept (about 50 KB each for the largest built-in playbook): the releases a team has open at once; the oldest go first. */
const MAX_RENDERED = 100;
/** A user's new name reaches pages that nothing else changed after this long. */
const RENDER_MAX_AGE_MS = 30_000;

export class ReleaseReader {
  private readonly rendered = new Map<string, TRendered>();
  /** A release's playbook copy never changes after creation (create-release.ts writes it once). */
  private readonly specs = new Map<string, TPlaybookSpec>();
  /**
   * Whether a release's windows are closed, per UTC minute: windows open and close on whole local
   * minutes and zone offsets are whole minutes, so the answer cannot change within one, and working it
   * out (Intl, per window) was a visible share of a read.
   */
  private readonly closedByMinute = new Map<string, { minute: number; closed: boolean }>();

  /** One stamp query in flight per release, however many read it at once: under load it was most of a read's cost. */
  private readonly stamps: FreshReads<string, TReleaseStamp | null>;

  constructor(private readonly db: Db, private readonly wallClock: () => number = Date.now) {
    this.stamps = new FreshReads((id) => loadReleaseStamp(db, id));
  }

  /** The validator, and the answer's JSON on demand (not needed when the caller's copy is current). */
  async read(ctx: Pick<TServiceContext, 'clock'>, id: string): Promise<{ etag: string; json: () => Promise<Buffer> }> {
    const stamp = await this.stamps.get(id);
    if (!stamp) throw notFound('Release');
    const now = ctx.clock.now();
    // A window opening or closing moves the start and ramp buttons without a revision.
    const closed = await this.windowsClosed(id, now);
    const etag = releaseEtag(stamp, now, closed);
    return { etag, json: () => this.json(stamp, now, etag) };
  }

  private async windowsClosed(id: string, now: Date): Promise<boolean> {
    const minute = Math.floor(now.getTime() / 60_000);
    const known = this.closedByMinute.get(id);
    if (known?.minute === minute) return known.closed;
    const { windows } = await this.specOf(id);
    const closed = windows.length > 0 && outsideWindows(windows, now) !== null;
    this.closedByMinute.delete(id);
    this.closedByMinute.set(id, { minute, closed });
    if (this.closedByMinute.size > MAX_RENDERED) this.closedByMinute.delete(this.closedByMinute.keys().next().value!);
    return closed;
  }

  /** A Buffer, so the 50 KB kept head is not encoded again per answer (the socket write did that for a string). */
  private async json(stamp: TReleaseStamp, now: Date, etag: string): Promise<Buffer> {
    const rendered = await this.render(stamp);
    // The validator covers everything the buttons read but the clock (and a freeze's id its text), so
    // with the same instant the answer is the same bytes.
    const key = `${etag}|${now.getTime()}`;
    if (rendered.answer?.key === key) return rendered.answer.body;
    const gates = gateStatusesForStage(rendered.spec.gates, rendered.stage, stamp.verdicts);
    const snapshot = { ...rendered.snapshot, freeze: stamp.freeze };
    const actions: TRelease['actions'] = actionAvailability(snapshot, { now, gates });
    const body = Buffer.concat([rendered.head, Buffer.from(`,"actions":${JSON.stringify(actions)}}`)]);
    rendered.answer = { key, body };
    return body;
  }

  private async render(stamp: TReleaseStamp): Promise<TRendered> {
    const kept = this.rendered.get(stamp.id);
    if (
      kept &&
      kept.revision === stamp.revision &&
      kept.updatedAtMs === stamp.updatedAt.getTime() &&
      this.wallClock() - kept.renderedAtMs < RENDER_MAX_AGE_MS
    ) {
      return kept;
    }
    const row: TReleaseViewRow | null = await this.db.release.findUnique({
      where: { id: stamp.id },
      include: releaseInclude,
      omit: { playbookSpec: true, analysis: true, metricsSource: true },
    });
    if (!row) throw notFound('Release');
    const spec = await this.specOf(stamp.id);
    const snapshot = snapshotOf(row, spec);
    const json = JSON.stringify(releaseWithoutActions({ row, spec, snapshot }));
    const current = row.stages[row.currentStageIndex];
    const entry: TRendered = {
      // What was read now, which may be newer than the stamp: the next read's stamp decides again.
      revision: row.revision,
      updatedAtMs: row.updatedAt.getTime(),
      renderedAtMs: this.wallClock(),
      head: Buffer.from(json.slice(0, -1)),
      snapshot,
      spec,
      stage: current ? { key: current.key, trafficPercent: current.trafficPercent } : null,
      answer: null,
    };
    this.rendered.delete(stamp.id);
    this.rendered.set(stamp.id, entry);
    if (this.rendered.size > MAX_RENDERED) this.rendered.delete(this.rendered.keys().next().value!);
    return entry;
  }

  private async specOf(id: string): Promise<TPlaybookSpec> {
    const known = this.specs.get(id);
    if (known) return known;
    const row = await this.db.release.findUnique({ where: { id }, select: { playbookSpec: true } });
    if (!row) throw notFound('Release');
    const spec = ZPlaybookSpec.parse(row.playbookSpec);
    this.specs.set(id, spec);
    if (this.specs.size > MAX_RENDERED) this.specs.delete(this.specs.keys().next().value!);
    return spec;
  }
}
