// Release windows over HTTP, with the server's clock moved by hand: a start outside every window is
// blocked with the next opening, the owner may force it with a reason, and a bad time zone is a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { LIFECYCLE_SPEC, act, acted, createPlaybook, createRelease } from './support.js';

let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  // Monday 2026-03-02, 20:00 UTC (21:00 in Berlin).
  t = await startTestApp({ clock: new ManualClock(new Date('2026-03-02T20:00:00Z')) });
  playbookId = await createPlaybook(t, 'night', {
    ...LIFECYCLE_SPEC,
    // Seed 000's low-traffic window: Monday night in Berlin, across midnight, for starting and ramping.
    windows: [{ days: ['mon'], start: '22:00', end: '02:00', timeZone: 'Europe/Berlin', ramps: true }],
  });
});
afterAll(async () => t?.close());

describe('release windows', () => {
  it('block a start outside every window and name the next opening in UTC', async () => {
    const owner = await t.as('owner');
    const release = await createRelease(t, playbookId, 'night-batch');
    expect(release.state).toBe('ready');
    const blocked = await act(owner, release, 'start');
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().blockers).toEqual([
      {
        kind: 'outside_window',
        message: "Starting is allowed only inside the playbook's release windows; the next opens at 2026-03-02T21:00:00.000Z",
        detail: { action: 'start', nextOpening: '2026-03-02T21:00:00.000Z' },
      },
    ]);

    t.clock.advance(1.5 * 3600); // 21:30 UTC, 22:30 in Berlin
    let running = await acted(owner, release, 'start');
    t.clock.advance(4 * 3600); // 01:30 UTC on Tuesday, 02:30 in Berlin: the window has closed
    const ramp = await act(owner, running, 'ramp');
    expect(ramp.statusCode).toBe(422);
    expect(ramp.json().blockers).toEqual([expect.objectContaining({ kind: 'outside_window', detail: { action: 'ramp', nextOpening: '2026-03-09T21:00:00.000Z' } })]);
    running = await acted(owner, running, 'ramp', { force: true, reason: 'The canary is healthy; the team is on call' });
    expect(running.currentStage?.key).toBe('canary');
    const events = (await owner.get(`/api/releases/${release.id}/events?limit=50`)).json().events;
    expect(events.find((e: { type: string }) => e.type === 'release.ramped').data.forcedPast).toEqual([expect.objectContaining({ kind: 'outside_window' })]);
  });

  it('refuse a playbook whose window names an unknown time zone, naming the field', async () => {
    const admin = await t.as('admin');
    const response = await admin.post('/api/playbooks', {
      key: 'bad-zone',
      name: 'Bad zone',
      spec: { ...LIFECYCLE_SPEC, windows: [{ days: ['mon'], start: '22:00', end: '02:00', timeZone: 'Europe/Atlantis' }] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('body.spec.windows.0.timeZone');
  });
});
