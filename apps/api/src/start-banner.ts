// What a person at a terminal sees once the server is up: where it is, who to sign in as, what to do next.
// Only printed with readable logs; JSON output (containers) keeps to log lines.
import type { AddressInfo } from 'node:net';

export interface TBannerUser {
  email: string;
  role: string;
  approvalRoles: readonly string[];
}

export interface TBannerInput {
  url: string;
  startupMs: number;
  /** Demo mode only. */
  demo: { users: readonly TBannerUser[]; password: string; simulator: boolean } | null;
  /** The first admin named by RAMPART_ADMIN_EMAIL, when there is one. */
  adminEmail: string | null;
}

/** The address to open in a browser: a wildcard bind is reachable as localhost. */
export function browserUrl(address: AddressInfo | string | null, fallback: string): string {
  if (!address || typeof address === 'string') return fallback;
  const host =
    address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export function startBanner(input: TBannerInput): string {
  const lines = ['', `  Rampart is up at ${input.url}  (started in ${(input.startupMs / 1000).toFixed(1)} s)`, ''];
  if (input.demo) {
    const width = Math.max(...input.demo.users.map((u) => u.email.length));
    lines.push(`  Demo mode: sign in as any of these users with the password "${input.demo.password}"`);
    for (const user of input.demo.users) {
      const roles = [user.role.replace('_', ' '), ...user.approvalRoles.map((r) => `${r} sign-off`)].join(', ');
      lines.push(`    ${user.email.padEnd(width)}  ${roles}`);
    }
    lines.push('');
    if (input.demo.simulator) lines.push('  A demo release of demo-checkout is running on the built-in traffic simulator.');
    lines.push(`  Next: open ${input.url}, sign in as owner@rampart.test and open the demo release.`);
  } else if (input.adminEmail) {
    lines.push(`  Next: open ${input.url} and sign in as ${input.adminEmail}.`);
  } else {
    lines.push(`  Next: open ${input.url} and sign in (set RAMPART_ADMIN_EMAIL and RAMPART_ADMIN_PASSWORD to create a first admin).`);
  }
  lines.push('  Docs: README.md (getting started, the rampart CLI). Stop with Ctrl+C.', '');
  return lines.join('\n') + '\n';
}
