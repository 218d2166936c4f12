import type { TServiceContext } from '../context.js';
import { gateStatusesOf } from '../judgement/stored-analysis.js';
import { loadRelease } from './release-record.js';
import { toReleaseDto } from './release-view.js';

/** The release as an action's answer shows it; page reads go through ReleaseReader (read-release.ts). */
export async function getRelease(ctx: Pick<TServiceContext, 'db' | 'clock'>, id: string) {
  const record = await loadRelease(ctx.db, id);
  return toReleaseDto(record, ctx.clock.now(), gateStatusesOf(record));
}
