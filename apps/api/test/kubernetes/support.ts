// A Rampart on loopback that Kubernetes controllers would call: real HTTP, real API tokens, a playbook with a
// rollback gate, a stage sign-off and bake times, and what Argo Rollouts does with a web metric's answer.
import type { TPlaybookSpecInput, TRelease } from '@rampart/contracts';
import { evaluateRelease } from '../../src/autopilot/evaluate-release.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

export const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 10, minBakeSeconds: 600, initialDelaySeconds: 0 },
    { key: 'full', name: 'Full', trafficPercent: 100, minBakeSeconds: 600, initialDelaySeconds: 0, signoff: [{ role: 'engineering' }] },
  ],
  gates: [{ key: 'errors', name: 'Canary error rate under 5%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.05, severity: 'rollback' }],
  // Nothing acts by itself: each test moves the release by hand and reads what the hooks answer.
  automation: { autoAdvance: false, autoPause: false, autoRollback: false, autoComplete: false },
};

export interface TK8sApp {
  t: TTestApp;
  base: string;
  /** releases:read: what an AnalysisTemplate and Flagger's gates hold. */
  readToken: string;
  /** releases:read and traffic:ack: what a Flagger Canary with an event hook holds. */
  flaggerToken: string;
  /** metrics:write only. */
  metricsToken: string;
  playbookId: string;
}

async function token(t: TTestApp, scopes: string[]): Promise<string> {
  const created = await (await t.as('owner')).post('/api/tokens', { name: `k8s ${scopes.join(' ')}`, scopes });
  if (created.statusCode !== 201) throw new Error(`token: ${created.body}`);
  return created.json().token as string;
}

export async function startK8sApp(): Promise<TK8sApp> {
  const t = await startTestApp();
  const created = await (await t.as('admin')).post('/api/playbooks', { key: 'k8s-canary', name: 'Kubernetes canary', spec: SPEC });
  if (created.statusCode !== 201) throw new Error(`playbook: ${created.body}`);
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    t,
    base,
    readToken: await token(t, ['releases:read']),
    flaggerToken: await token(t, ['releases:read', 'traffic:ack']),
    metricsToken: await token(t, ['metrics:write']),
    playbookId: created.json().id as string,
  };
}

export async function newRelease(k: TK8sApp, service: string): Promise<TRelease> {
  const created = await (await k.t.as('owner')).post('/api/releases', { service, version: '2.4.0', playbookId: k.playbookId });
  if (created.statusCode !== 201) throw new Error(`release: ${created.body}`);
  return created.json() as TRelease;
}

export async function act(k: TK8sApp, id: string, action: string): Promise<TRelease> {
  const owner = await k.t.as('owner');
  const release = (await owner.get(`/api/releases/${id}`)).json() as TRelease;
  const done = await owner.post(`/api/releases/${id}/actions/${action}`, { expectedRevision: release.revision });
  if (done.statusCode !== 200) throw new Error(`${action}: ${done.body}`);
  return done.json() as TRelease;
}

export async function signOff(k: TK8sApp, id: string, stage: string): Promise<void> {
  const signed = await (await k.t.as('eng')).post(`/api/releases/${id}/approvals`, { role: 'engineering', decision: 'approve', stage });
  if (signed.statusCode !== 200) throw new Error(`sign-off: ${signed.body}`);
}

/** Five minutes of canary and baseline traffic up to now, with this share of canary errors; then the autopilot's judgement is stored. */
export async function observe(k: TK8sApp, id: string, canaryErrorShare: number): Promise<void> {
  const now = k.t.clock.now().getTime();
  const points = [];
  for (let bin = 30; bin >= 1; bin--) {
    const ts = now - bin * 10_000 + 5_000;
    points.push(
      { ts, cohort: 'canary', metric: 'requests', value: 1000 },
      { ts, cohort: 'canary', metric: 'errors', value: Math.round(1000 * canaryErrorShare) },
      { ts, cohort: 'baseline', metric: 'requests', value: 9000 },
      { ts, cohort: 'baseline', metric: 'errors', value: 0 },
    );
  }
  const pushed = await fetch(`${k.base}/api/releases/${id}/metrics`, {
    method: 'POST',
    headers: { authorization: `Bearer ${k.metricsToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ points }),
  });
  if (pushed.status !== 202) throw new Error(`metrics: ${await pushed.text()}`);
  await evaluateRelease({ db: k.t.db, clock: k.t.clock }, id);
}

export interface TAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function call(k: TK8sApp, method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown } = {}): Promise<TAnswer> {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${k.base}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

// What Argo Rollouts does with a web metric's answer (metricproviders/webmetric and utils/evaluate in
// argoproj/argo-rollouts): a non-2xx answer is an Error; otherwise `jsonPath` picks `result`, and the
// conditions decide: Failed if the failure condition holds, Successful if the success condition holds,
// else Inconclusive.
export type TMeasurement = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** The only JSONPath the README's template uses, and a field below it. */
function jsonPath(body: unknown, path: string): unknown {
  const match = /^\{\$((?:\.\w+)*)\}$/.exec(path);
  if (!match) throw new Error(`unsupported jsonPath ${path}`);
  return (match[1] ?? '').split('.').filter(Boolean).reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], body);
}

/** Argo's expressions as the README writes them: `result.<field> == <JSON literal>`. */
function condition(result: unknown, expression: string): boolean {
  const match = /^result((?:\.\w+)*)\s*==\s*(.+)$/.exec(expression.trim());
  if (!match) throw new Error(`unsupported condition ${expression}`);
  const value = (match[1] ?? '').split('.').filter(Boolean).reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], result);
  return value === JSON.parse(match[2]!);
}

export function argoMeasurement(
  answer: TAnswer,
  metric = { jsonPath: '{$}', successCondition: 'result.passed == true', failureCondition: 'result.failed == true' },
): TMeasurement {
  if (answer.status < 200 || answer.status >= 300) return 'Error';
  const result = jsonPath(answer.body, metric.jsonPath);
  if (condition(result, metric.failureCondition)) return 'Failed';
  if (condition(result, metric.successCondition)) return 'Successful';
  return 'Inconclusive';
}
