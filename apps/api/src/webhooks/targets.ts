// Which host names webhooks may point at: an admin can restrict targets with RAMPART_WEBHOOK_ALLOWED_HOSTS
// (host names, or *.suffix for any subdomain of suffix). Which addresses any outbound request may reach
// is the outbound policy's business (../outbound), checked on top of this.
import { invalidBody } from '../errors.js';

export function parseAllowedHosts(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const hosts = value
    .split(',')
    .map((host) => host.trim().toLowerCase().replace(/\.$/, ''))
    .filter((host) => host !== '');
  return hosts.length === 0 ? null : hosts;
}

function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

export function hostAllowed(url: string, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  const host = hostOf(url);
  return allowed.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
    return host === pattern;
  });
}

/** Throws a 400 naming body.url when the target is outside the allowed hosts. */
export function assertTargetAllowed(url: string, allowed: readonly string[] | null): void {
  if (!hostAllowed(url, allowed)) {
    throw invalidBody('url', `host ${hostOf(url)} is not allowed by RAMPART_WEBHOOK_ALLOWED_HOSTS (${(allowed ?? []).join(', ')})`);
  }
}
