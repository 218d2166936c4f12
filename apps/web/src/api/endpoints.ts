// One function per API route the dashboard uses; shapes from @rampart/contracts.
import type {
  TActionBody,
  TAnalysis,
  TApiTokenInfo,
  TApprovalDecision,
  TApprovalRole,
  TChecklistStatus,
  TContactSpec,
  TFreeze,
  TIncident,
  TMe,
  TMetricsSourceView,
  TPage,
  TPlaybook,
  TPlaybookSpec,
  TPrometheusSourceInput,
  TRelease,
  TReleaseAction,
  TReleaseEvent,
  TReleaseList,
  TReleaseState,
  TReopenBody,
  TReportIncidentBody,
  TSeries,
  TStatusPage,
  TTokenScope,
  TUpdateIncidentBody,
  TUser,
  TUserRole,
} from '@rampart/contracts';
import { apiFetch } from './client';

export interface TPlaybookSummary extends Omit<TPlaybook, 'spec'> {
  stages: { key: string; name: string; trafficPercent: number }[];
  gateCount: number;
  checklistItemCount: number;
}
export interface TEventPage {
  events: TReleaseEvent[];
  nextBefore: string | null;
}
export interface TRenderedMessage {
  key: string;
  kind: string;
  audience: 'internal' | 'external';
  title: string;
  severity: string | null;
  text: string;
}
export type TCreatedToken = TApiTokenInfo & { token: string };
/** The people a release names and the pages sent to them, newest first. */
export interface TReleasePeople {
  contacts: TContactSpec[];
  pages: TPage[];
}

export const api = {
  login: (email: string, password: string) => apiFetch<TMe>('/api/auth/login', { body: { email, password } }),
  logout: () => apiFetch<unknown>('/api/auth/logout', { method: 'POST', body: {} }),
  me: () => apiFetch<TMe>('/api/auth/me'),

  /** Summaries, active first; the next page starts at `nextCursor`. */
  releases: (query: { state?: string; service?: string; limit?: number; cursor?: string } = {}) =>
    apiFetch<TReleaseList>('/api/releases/', { query: { limit: 200, ...query } }),
  release: (id: string) => apiFetch<TRelease>(`/api/releases/${id}`),
  createRelease: (body: { service: string; version: string; playbookId: string; notes?: string }) =>
    apiFetch<TRelease>('/api/releases/', { body }),
  act: (id: string, action: TReleaseAction, body: TActionBody) =>
    apiFetch<TRelease>(`/api/releases/${id}/actions/${action}`, { body }),
  updateChecklistItem: (id: string, itemId: string, body: { status: TChecklistStatus; note?: string }) =>
    apiFetch<TRelease>(`/api/releases/${id}/checklist/${itemId}`, { method: 'PATCH', body }),
  markChecklistSectionDone: (id: string, body: { section: string; expectedRevision?: number }) =>
    apiFetch<TRelease>(`/api/releases/${id}/checklist/sections/done`, { body }),
  metricsSource: (id: string) => apiFetch<TMetricsSourceView>(`/api/releases/${id}/metrics-source`),
  setMetricsSource: (id: string, body: TPrometheusSourceInput) =>
    apiFetch<TMetricsSourceView>(`/api/releases/${id}/metrics-source`, { method: 'PUT', body }),
  recordApproval: (
    id: string,
    body: { role: TApprovalRole; decision: TApprovalDecision; comment?: string; stage?: string },
  ) => apiFetch<TRelease>(`/api/releases/${id}/approvals`, { body }),
  events: (id: string, query: { limit?: number; before?: string } = {}) =>
    apiFetch<TEventPage>(`/api/releases/${id}/events`, { query }),
  messages: (id: string) => apiFetch<{ messages: TRenderedMessage[] }>(`/api/releases/${id}/messages`),
  series: (id: string, query: { metric: string; from?: number; to?: number; step?: number }) =>
    apiFetch<TSeries>(`/api/releases/${id}/metrics`, { query }),
  /** Null before the release has started. */
  analysis: async (id: string) => (await apiFetch<{ analysis: TAnalysis | null }>(`/api/releases/${id}/analysis`)).analysis,
  status: () => apiFetch<TStatusPage>('/api/status/'),

  incidents: (id: string) => apiFetch<{ incidents: TIncident[] }>(`/api/releases/${id}/incidents`),
  reportIncident: (id: string, body: TReportIncidentBody) => apiFetch<unknown>(`/api/releases/${id}/incidents`, { body }),
  updateIncident: (id: string, incidentId: string, body: TUpdateIncidentBody) =>
    apiFetch<unknown>(`/api/releases/${id}/incidents/${incidentId}`, { method: 'PATCH', body }),
  people: (id: string) => apiFetch<TReleasePeople>(`/api/releases/${id}/contacts`),
  acknowledgePage: (id: string, pageId: string) => apiFetch<unknown>(`/api/releases/${id}/pages/${pageId}/acknowledge`, { method: 'POST', body: {} }),
  /** A new attempt of a rolled-back release: the answer is the new release. */
  reopen: (id: string, body: TReopenBody) => apiFetch<TRelease>(`/api/releases/${id}/reopen`, { body }),

  /** The active freeze, or null when the line runs. */
  freeze: async () => (await apiFetch<{ freeze: TFreeze | null }>('/api/freeze')).freeze,
  startFreeze: (reason: string) => apiFetch<unknown>('/api/admin/freeze', { body: { reason } }),
  endFreeze: () => apiFetch<unknown>('/api/admin/freeze/end', { method: 'POST', body: {} }),

  playbooks: () => apiFetch<{ playbooks: TPlaybookSummary[] }>('/api/playbooks/'),
  playbook: (id: string) => apiFetch<TPlaybook>(`/api/playbooks/${id}`),
  updatePlaybook: (id: string, body: { expectedVersion: number; spec?: TPlaybookSpec; name?: string; description?: string }) =>
    apiFetch<TPlaybook>(`/api/playbooks/${id}`, { method: 'PUT', body }),

  users: () => apiFetch<{ users: TUser[] }>('/api/users/'),
  createUser: (body: { email: string; name: string; password: string; role: TUserRole; approvalRoles: TApprovalRole[] }) =>
    apiFetch<TUser>('/api/users/', { body }),
  updateUser: (
    id: string,
    body: Partial<{ name: string; password: string; role: TUserRole; approvalRoles: TApprovalRole[]; disabled: boolean }>,
  ) => apiFetch<TUser>(`/api/users/${id}`, { method: 'PATCH', body }),
  tokens: () => apiFetch<{ tokens: TApiTokenInfo[] }>('/api/tokens/'),
  createToken: (body: { name: string; scopes: TTokenScope[]; expiresInDays?: number; userId?: string }) =>
    apiFetch<TCreatedToken>('/api/tokens/', { body }),
  revokeToken: (id: string) => apiFetch<unknown>(`/api/tokens/${id}`, { method: 'DELETE' }),
};

export type { TReleaseState };
