// A loopback server that counts every connection and answers what the test sets: the "remote" an
// attacker points Rampart at, or a failing receiver whose answer must not travel any further.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TPrometheusSource } from '@rampart/contracts';
import type { TTestApp } from '../support/test-app.js';

export interface TRemote {
  port: number;
  connections: number;
  requests: number;
  answer: { status: number; body: string; contentType?: string };
  close(): Promise<void>;
}

export async function startRemote(answer: TRemote['answer']): Promise<TRemote> {
  const remote: TRemote = { port: 0, connections: 0, requests: 0, answer, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      remote.requests += 1;
      response.writeHead(remote.answer.status, { 'content-type': remote.answer.contentType ?? 'text/plain' }).end(remote.answer.body);
    });
  });
  server.on('connection', () => (remote.connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  remote.port = (server.address() as AddressInfo).port;
  remote.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return remote;
}

/** A started release on a playbook with no approvals or checklist, so the poller reads its source. */
export async function startedRelease(t: TTestApp, key: string): Promise<string> {
  const admin = await t.as('admin');
  const owner = await t.as('owner');
  const playbook = await admin.post('/api/playbooks', {
    key,
    name: key,
    spec: {
      stages: [{ key: 'canary', name: 'Canary', trafficPercent: 10, minBakeSeconds: 600, initialDelaySeconds: 0 }],
      gates: [{ key: 'error-rate', name: 'Error rate under 5%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.05, severity: 'rollback' }],
    },
  });
  if (playbook.statusCode !== 201) throw new Error(`creating the playbook failed: ${playbook.body}`);
  const created = await owner.post('/api/releases', { service: 'checkout', version: '5.0.0', playbookId: playbook.json().id });
  if (created.statusCode !== 201) throw new Error(`creating the release failed: ${created.body}`);
  const started = await owner.post(`/api/releases/${created.json().id}/actions/start`, { expectedRevision: created.json().revision });
  if (started.statusCode !== 200) throw new Error(`starting the release failed: ${started.body}`);
  return created.json().id as string;
}

export const PROMETHEUS_SOURCE = (url: string): TPrometheusSource => ({
  url,
  stepSeconds: 15,
  labels: {},
  queries: [{ metric: 'requests', cohort: 'canary', query: 'sum(increase(http_requests_total{cohort="{{cohort}}"}[{{step}}]))' }],
});
