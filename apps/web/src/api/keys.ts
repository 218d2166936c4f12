// Query keys in one place, so the live stream and the pages agree on where data lives.
export const keys = {
  me: ['me'] as const,
  releases: (filters: { state?: string; service?: string } = {}) => ['releases', filters] as const,
  releasesAll: ['releases'] as const,
  release: (id: string) => ['release', id] as const,
  events: (id: string) => ['events', id] as const,
  messages: (id: string) => ['messages', id] as const,
  series: (id: string, metric: string, windowMs: number) => ['series', id, metric, windowMs] as const,
  seriesOf: (id: string) => ['series', id] as const,
  analysis: (id: string) => ['analysis', id] as const,
  status: ['status'] as const,
  playbooks: ['playbooks'] as const,
  playbook: (id: string) => ['playbook', id] as const,
  users: ['users'] as const,
  tokens: ['tokens'] as const,
};
