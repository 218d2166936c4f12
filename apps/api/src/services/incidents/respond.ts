// The playbook's response to a problem, carried out inside the transaction that records it. Rampart acts,
// not the reporter: support may cause a rollback this way although support cannot press the button, because
// the playbook decided it. A release that is already where the response leads (or cannot go there) is left
// as it is; the problem is still recorded.
import type { TIncidentAction } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';
import { decideAction, intentHolds, releaseActionOf } from '@rampart/domain';
import type { Tx } from '../../db/prisma.js';
import { gateStatusesOf } from '../judgement/stored-analysis.js';
import { persistChange } from '../releases/persist-change.js';
import type { TReleaseRecord } from '../releases/release-record.js';

/** Rampart acting on a playbook's incident response; the reporter is named in the reason. */
export const INCIDENT_RESPONDER: TActor = { kind: 'system', userId: null, name: 'Rampart', role: 'admin', approvalRoles: [] };

export interface TResponseWork {
  record: TReleaseRecord;
  /** The release's revision after the incident's own event was recorded. */
  revision: number;
  incidentId: string;
  action: TIncidentAction;
  /** Names the problem and who reported (or re-graded) it: the release's timeline shows it. */
  reason: string;
  at: Date;
}

/** Rolls back or pauses as the response says; the release action taken, or null. */
export async function carryOutResponse(tx: Tx, work: TResponseWork): Promise<'rollback' | 'pause' | null> {
  const { record, at } = work;
  const releaseAction = releaseActionOf(work.action, record.snapshot.state);
  if (!releaseAction || intentHolds(releaseAction, record.snapshot.state)) return null;
  const decision = decideAction(record.snapshot, { action: releaseAction, reason: work.reason }, { now: at, gates: gateStatusesOf(record) });
  if (!decision.ok) return null;
  const events = decision.events.map((event) => ({ ...event, data: { ...event.data, automatic: true, incidentId: work.incidentId } }));
  await persistChange(tx, record, decision.release, { actor: INCIDENT_RESPONDER, events, at, expectedRevision: work.revision });
  return releaseAction;
}
