// GET /api/releases/:id for pages and pollers. A release is read far more often than it changes, so
// each read starts with its stamp (one small query): a poller whose copy is current gets its answer from
// that alone, and otherwise the page is rendered once per change of the row and kept, with only the
// action buttons (which follow the clock and the latest verdicts) worked out again per read.
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

interface TRendered {
  revision: number;
  updatedAtMs: number;
  renderedAtMs: number;
  /** The answer's JSON up to (not including) its closing brace, without the actions. */
  head: string;
  snapshot: TReleaseSnapshot;
  spec: TPlaybookSpec;
  stage: { key: string; trafficPercent: number } | null;
}

/** Renders kept (about 50 KB each for the largest built-in playbook): the releases a team has open at once; the oldest go first. */
const MAX_RENDERED = 100;
/** A user's new name reaches pages that nothing else changed after this long. */
const RENDER_MAX_AGE_MS = 30_000;

export class ReleaseReader {
  private readonly rendered = new Map<string, TRendered>();
  /** A release's playbook copy never changes after creation (create-release.ts writes it once). */
  private readonly specs = new Map<string, TPlaybookSpec>();

  constructor(private readonly db: Db, private readonly wallClock: () => number = Date.now) {}

  /** The validator, and the answer's JSON on demand (not needed when the caller's copy is current). */
  async read(ctx: Pick<TServiceContext, 'clock'>, id: string): Promise<{ etag: string; json: () => Promise<string> }> {
    const stamp = await loadReleaseStamp(this.db, id);
    if (!stamp) throw notFound('Release');
    const now = ctx.clock.now();
    // A window opening or closing moves the start and ramp buttons without a revision.
    const { windows } = await this.specOf(id);
    const closed = windows.length > 0 && outsideWindows(windows, now) !== null;
    return { etag: releaseEtag(stamp, now, closed), json: () => this.json(stamp, now) };
  }

  private async json(stamp: TReleaseStamp, now: Date): Promise<string> {
    const rendered = await this.render(stamp);
    const gates = gateStatusesForStage(rendered.spec.gates, rendered.stage, stamp.verdicts);
    const snapshot = { ...rendered.snapshot, freeze: stamp.freeze };
    const actions: TRelease['actions'] = actionAvailability(snapshot, { now, gates });
    return `${rendered.head},"actions":${JSON.stringify(actions)}}`;
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
      head: json.slice(0, -1),
      snapshot,
      spec,
      stage: current ? { key: current.key, trafficPercent: current.trafficPercent } : null,
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
