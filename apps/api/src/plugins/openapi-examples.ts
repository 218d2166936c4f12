// Example request bodies for the OpenAPI document, by operationId. The quality test parses each with
// the route's own schema, so an example that drifts from its contract fails there, not in a client.
export const REQUEST_EXAMPLES: Record<string, unknown> = {
  logIn: { email: 'owner@example.com', password: 'correct horse battery staple' },
  createUser: { email: 'dana@example.com', name: 'Dana Reyes', password: 'a long passphrase', role: 'approver', approvalRoles: ['security'] },
  createApiToken: { name: 'deploy pipeline', scopes: ['releases:write', 'traffic:ack'], expiresInDays: 90 },
  createRelease: { service: 'checkout', version: '2.14.0', playbookId: '0b6f5a52-8c1e-4d7a-9f38-2a9d1c4e7b10', notes: 'Moves card tokenisation to the new vault.' },
  performReleaseAction: { expectedRevision: 7, reason: 'Error rate is flat after 30 minutes at 25%' },
  updateChecklistItem: { status: 'done', note: 'Dashboards linked in the runbook', expectedRevision: 3 },
  recordApproval: { role: 'security', decision: 'approve', comment: 'Pen-test findings closed', stage: 'canary-10', expectedRevision: 4 },
  acknowledgeTraffic: { percent: 25 },
  pushMetrics: {
    points: [
      { ts: '2026-03-02T09:58:00Z', cohort: 'canary', metric: 'errors', value: 3 },
      { ts: '2026-03-02T09:58:00Z', cohort: 'canary', metric: 'requests', value: 1200 },
      { ts: '2026-03-02T09:58:00Z', cohort: 'baseline', metric: 'errors', value: 11 },
      { ts: '2026-03-02T09:58:00Z', cohort: 'baseline', metric: 'requests', value: 3600 },
    ],
  },
  createWebhook: { url: 'https://hooks.example.com/rampart', events: ['release.started', 'release.rolled_back'], format: 'json', enabled: true },
};
