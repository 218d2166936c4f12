// create, status and action: the release verbs a pipeline needs.
import type { TRelease, TReleaseAction } from '@rampart/contracts';
import { ZPlaybook, ZPlaybookSummary, ZRelease, ZReleaseConflict } from '@rampart/contracts';
import { z } from 'zod';
import type { RampartClient } from '../client.js';
import { ApiError } from '../client.js';
import { CliExit, EXIT } from '../exit-codes.js';
import type { TIo } from '../io.js';
import { print, printJson } from '../io.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TCreateOptions {
  service: string;
  version: string;
  playbook: string;
  notes?: string | undefined;
  json?: boolean | undefined;
}

/** A playbook id as given, or the id of the playbook with that key. */
export async function resolvePlaybookId(client: RampartClient, keyOrId: string): Promise<string> {
  if (UUID.test(keyOrId)) {
    return (await client.get(`/api/playbooks/${keyOrId}`, ZPlaybook)).id;
  }
  const { playbooks } = await client.get('/api/playbooks', z.object({ playbooks: z.array(ZPlaybookSummary) }));
  const found = playbooks.find((p) => p.key === keyOrId);
  if (!found) {
    throw new CliExit(EXIT.error, `No playbook with the key "${keyOrId}" (known: ${playbooks.map((p) => p.key).join(', ') || 'none'})`);
  }
  return found.id;
}

export async function createCommand(client: RampartClient, io: TIo, options: TCreateOptions): Promise<TRelease> {
  const playbookId = await resolvePlaybookId(client, options.playbook);
  const release = await client.post('/api/releases', ZRelease, {
    service: options.service,
    version: options.version,
    playbookId,
    ...(options.notes === undefined ? {} : { notes: options.notes }),
  });
  if (options.json) printJson(io.stdout, release);
  else print(io.stdout, release.id);
  return release;
}

export function describeRelease(release: TRelease): string {
  const stage = release.currentStage ? `${release.currentStage.name} (${release.currentStage.key}, ${release.currentStage.position + 1}/${release.stageCount})` : 'none';
  const lines = [
    `${release.service} ${release.version}  [${release.id}]`,
    `state:    ${release.state}`,
    `stage:    ${stage}`,
    `traffic:  desired ${release.desiredPercent}%, acknowledged ${release.acknowledgedPercent}%`,
    `revision: ${release.revision}`,
  ];
  const allowed = release.actions.filter((a) => a.allowed).map((a) => a.action);
  if (allowed.length > 0) lines.push(`can:      ${allowed.join(', ')}`);
  for (const a of release.actions.filter((x) => x.legal && !x.allowed)) {
    lines.push(`blocked:  ${a.action}: ${a.blockers.map((b) => b.message).join('; ')}`);
  }
  return lines.join('\n');
}

export async function statusCommand(client: RampartClient, io: TIo, id: string, options: { json?: boolean | undefined }): Promise<TRelease> {
  const release = await client.get(`/api/releases/${encodeURIComponent(id)}`, ZRelease);
  if (options.json) printJson(io.stdout, release);
  else print(io.stdout, describeRelease(release));
  return release;
}

export interface TActionOptions {
  reason?: string | undefined;
  force?: boolean | undefined;
  json?: boolean | undefined;
}

/**
 * Reads the release's current revision, then acts with it as expectedRevision. A 409 (stale revision,
 * illegal transition) exits 4, a 422 (blockers) exits 5, each after printing what stands in the way.
 */
export async function actionCommand(client: RampartClient, io: TIo, id: string, action: TReleaseAction, options: TActionOptions): Promise<TRelease> {
  const current = await client.get(`/api/releases/${encodeURIComponent(id)}`, ZRelease);
  try {
    const release = await client.post(`/api/releases/${encodeURIComponent(id)}/actions/${action}`, ZRelease, {
      expectedRevision: current.revision,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      ...(options.force ? { force: true } : {}),
    });
    if (options.json) printJson(io.stdout, release);
    else print(io.stdout, `${action}: ${release.state}${release.currentStage ? ` at ${release.currentStage.key}` : ''}, desired ${release.desiredPercent}% (revision ${release.revision})`);
    return release;
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 409 && error.status !== 422)) throw error;
    const conflict = ZReleaseConflict.safeParse(error.body);
    const code = error.status === 409 ? EXIT.conflict : EXIT.blocked;
    if (!conflict.success) throw new CliExit(code, error.message);
    const body = conflict.data;
    if (options.json) printJson(io.stdout, { ...body, release: undefined, releaseState: body.release.state, revision: body.release.revision });
    const lines = [`${action} refused (${body.error}): ${body.message}`];
    for (const blocker of body.blockers ?? []) lines.push(`  - ${blocker.kind}: ${blocker.message}`);
    if (body.error === 'blocked') lines.push('  An owner may override with --force --reason "why".');
    if (body.error === 'stale_revision') lines.push(`  The release is now ${body.release.state} at revision ${body.release.revision}; look again and retry.`);
    throw new CliExit(code, lines.join('\n'));
  }
}
