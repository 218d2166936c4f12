// The runner against a fake Rampart: HTTP errors are logged and retried without losing points, a point
// Rampart refuses is dropped, nothing throws, and the real-timer loop runs and stops on its own.
import { ZMetricBatch } from '@rampart/contracts';
import { describe, expect, it, vi } from 'vitest';
import type { TClock, TSimulatorLogger } from '../src/runner.js';
import { startSimulator } from '../src/runner.js';

const RELEASE = '00000000-0000-4000-8000-000000000001';

const systemClock: TClock = { now: () => new Date() };

/** A clock the test moves by hand, like the server's ManualClock. */
class ManualClock implements TClock {
  private current = Date.parse('2026-01-01T00:00:00Z');
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

interface TFake {
  fetch: typeof fetch;
  /** Timestamps of the windows received, per request. */
  batches: number[][];
  acks: number[];
  desired: number;
  state: string;
  /** Answers the next requests with these statuses (0: a network failure, null: normally) before behaving again. */
  failNext: (number | null)[];
  authorization: Set<string>;
}

function fakeRampart(): TFake {
  const fake: TFake = { fetch: null as never, batches: [], acks: [], desired: 10, state: 'running', failNext: [], authorization: new Set() };
  let acknowledged = 0;
  fake.fetch = async (input, init) => {
    const url = new URL(String(input));
    fake.authorization.add(new Headers(init?.headers).get('authorization') ?? '');
    const failure = fake.failNext.shift();
    if (failure === 0) throw new TypeError('fetch failed: connect ECONNREFUSED');
    if (failure) return new Response('{"message":"boom"}', { status: failure });
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
    const path = url.pathname;
    if (path === `/api/releases/${RELEASE}`) return json(200, { playbook: { id: null } });
    if (path.endsWith('/traffic')) {
      return json(200, { releaseId: RELEASE, state: fake.state, stage: 'x', desiredPercent: fake.desired, acknowledgedPercent: acknowledged, acknowledgedAt: null, revision: 1 });
    }
    if (path.endsWith('/traffic/ack')) {
      acknowledged = (JSON.parse(String(init?.body)) as { percent: number }).percent;
      // As Rampart does: a rollback is over once the tooling reports 0%.
      if (fake.state === 'rolling_back' && acknowledged === 0) fake.state = 'rolled_back';
      fake.acks.push(acknowledged);
      return json(200, {});
    }
    if (path.endsWith('/metrics')) {
      if (['completed', 'rolled_back', 'aborted'].includes(fake.state)) return json(409, { message: 'finished' });
      const parsed = ZMetricBatch.safeParse(JSON.parse(String(init?.body)));
      if (!parsed.success) return json(400, { message: parsed.error.message });
      fake.batches.push([...new Set(parsed.data.points.map((p) => p.ts))]);
      return json(202, { accepted: parsed.data.points.length, stored: parsed.data.points.length });
    }
    return json(404, {});
  };
  return fake;
}

function recordingLogger() {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj });
  const logger: TSimulatorLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('the simulator runner on a flaky network', () => {
  it('retries after network failures and 5xx answers without losing a window, and never throws', async () => {
    const fake = fakeRampart();
    const clock = new ManualClock();
    const { logger, lines } = recordingLogger();
    const simulator = startSimulator({
      baseUrl: 'http://rampart.invalid/',
      token: 'rmp_secret',
      releaseId: RELEASE,
      clock,
      logger,
      gates: [],
      ackDelaySeconds: 60,
      autoTick: false,
      fetch: fake.fetch,
    });
    await simulator.tick();
    clock.advance(3);
    fake.failNext = [0, 503, null, 500];
    await simulator.tick(); // network failure on the traffic poll
    await simulator.tick(); // 503 on the traffic poll
    await simulator.tick(); // poll fine, then 500 on the metrics push: the windows stay buffered
    expect(simulator.stats().failures).toBe(3);
    expect(fake.batches).toHaveLength(0);
    clock.advance(2);
    await simulator.tick();
    const start = clock.now().getTime() - 5000;
    expect(fake.batches.flat()).toEqual([1, 2, 3, 4, 5].map((s) => start + s * 1000));
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual(['traffic simulator: request failed, backing off']);
    expect(JSON.stringify(lines)).not.toContain('rmp_secret');
    expect([...fake.authorization]).toEqual(['Bearer rmp_secret']);
    expect(simulator.stats().stopReason).toBeNull();
    await simulator.stop();
    await expect(simulator.done).resolves.toBe('stopped');
  });

  it('drops a batch Rampart refuses as invalid and carries on', async () => {
    const fake = fakeRampart();
    const clock = new ManualClock();
    const { logger, lines } = recordingLogger();
    const simulator = startSimulator({ baseUrl: 'http://rampart.invalid', token: 't', releaseId: RELEASE, clock, logger, gates: [], ackDelaySeconds: 60, autoTick: false, fetch: fake.fetch });
    await simulator.tick();
    clock.advance(2);
    fake.failNext = [null, 400];
    await simulator.tick();
    clock.advance(1);
    await simulator.tick();
    expect(lines.some((l) => l.level === 'error' && l.msg === 'metrics refused: points dropped')).toBe(true);
    expect(fake.batches).toHaveLength(1);
    expect(fake.batches[0]).toHaveLength(1);
    await simulator.stop();
  });

  it('follows the desired percent after its delay, re-targets when it changes midway, and stops once a rollback is acknowledged', async () => {
    const fake = fakeRampart();
    const clock = new ManualClock();
    const simulator = startSimulator({ baseUrl: 'http://r.invalid', token: 't', releaseId: RELEASE, clock, gates: [], ackDelaySeconds: 5, autoTick: false, fetch: fake.fetch });
    await simulator.tick();
    clock.advance(3);
    fake.desired = 25;
    await simulator.tick();
    clock.advance(3);
    await simulator.tick();
    expect(fake.acks).toEqual([]);
    clock.advance(3);
    await simulator.tick();
    expect(fake.acks).toEqual([25]);
    fake.desired = 0;
    fake.state = 'rolling_back';
    clock.advance(1);
    await simulator.tick();
    clock.advance(5);
    await simulator.tick();
    expect(fake.acks).toEqual([25, 0]);
    expect(fake.state).toBe('rolled_back');
    clock.advance(1);
    await simulator.tick();
    await expect(simulator.done).resolves.toBe('finished');
  });

  it('runs on real timers with a short window and stops when asked', async () => {
    const fake = fakeRampart();
    const simulator = startSimulator({
      baseUrl: 'http://r.invalid',
      token: 't',
      releaseId: RELEASE,
      clock: systemClock,
      fetch: fake.fetch,
      gates: [],
      windowSeconds: 0.02,
      tickMs: 10,
      ackDelaySeconds: 0,
    });
    await vi.waitFor(() => expect(fake.batches.flat().length).toBeGreaterThan(2), { timeout: 5000, interval: 10 });
    await simulator.stop();
    expect(fake.acks).toEqual([10]);
    const sent = fake.batches.flat().length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.batches.flat().length).toBe(sent);
    await expect(simulator.done).resolves.toBe('stopped');
  });
});
