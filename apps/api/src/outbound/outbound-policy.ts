// Where the server may send requests of its own (webhooks, Prometheus sources, anything fetched later).
// A URL comes from a user with a role, so by default it may reach only public unicast addresses: never
// loopback, private, CGNAT, link-local (cloud metadata), unique-local, multicast, unspecified, reserved
// ranges, nor an IPv6 form that wraps one of them. RAMPART_OUTBOUND_ALLOW lets an admin open exactly
// the inside addresses a self-hosted team needs (its in-cluster Prometheus, an internal chat relay).
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

type TAddress = ipaddr.IPv4 | ipaddr.IPv6;

export interface TOutboundAllow {
  /** Address ranges opened by the allow-list, as [network, prefix length]. */
  cidrs: [TAddress, number][];
  /** Host names opened whatever they resolve to: exact names, or `*.suffix` for any subdomain of suffix. */
  hosts: string[];
  /** The setting as given, for messages. */
  source: string;
}

export const NO_ALLOW: TOutboundAllow = { cidrs: [], hosts: [], source: '' };

/** Thrown when a request would reach a refused address; its message names the host and the class. */
export class OutboundRefusedError extends Error {
  readonly code = 'OUTBOUND_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

const normalizeHost = (host: string) => host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');

/** Parses "10.0.0.0/8, prometheus.monitoring.svc, *.svc.cluster.local, ::1"; problems name each bad entry. */
export function parseOutboundAllow(value: string | undefined): { allow: TOutboundAllow; problems: string[] } {
  const allow: TOutboundAllow = { cidrs: [], hosts: [], source: value?.trim() ?? '' };
  const problems: string[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = normalizeHost(raw);
    if (entry === '') continue;
    if (entry.includes('/')) {
      try {
        allow.cidrs.push(ipaddr.parseCIDR(entry));
      } catch {
        problems.push(`"${entry}" is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
      }
    } else if (ipaddr.isValid(entry)) {
      const address = ipaddr.parse(entry);
      allow.cidrs.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(entry)) {
      allow.hosts.push(entry);
    } else {
      problems.push(`"${entry}" is neither an address, a CIDR range nor a host name`);
    }
  }
  return { allow, problems };
}

function hostAllowed(allow: TOutboundAllow, host: string): boolean {
  return allow.hosts.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern,
  );
}

/** IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d) are judged as that address. */
function unwrap(address: TAddress): TAddress {
  if (address.kind() !== 'ipv6') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const [a, b, c, d, e, f, g, h] = v6.parts;
  const compatible = a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0 && (g !== 0 || (h ?? 0) > 1);
  return compatible ? ipaddr.fromByteArray(v6.toByteArray().slice(12)) : address;
}

const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

const CLASS_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address (RFC 1918)',
  carrierGradeNat: 'a shared address (CGNAT, 100.64.0.0/10)',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a private IPv6 address (unique local, fc00::/7)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

/** Why an address is refused, or null when it may be reached. */
export function refusalOf(allow: TOutboundAllow, given: string): string | null {
  if (!ipaddr.isValid(given)) return `${given} is not an IP address`;
  const parsed = ipaddr.parse(given);
  const address = unwrap(parsed);
  const allowed = allow.cidrs.some(([network, bits]) => {
    const candidate = network.kind() === address.kind() ? address : network.kind() === parsed.kind() ? parsed : null;
    return candidate !== null && candidate.match(network, bits);
  });
  if (allowed) return null;
  const text = address.toString();
  if (METADATA.has(text)) return `${given} is a cloud metadata address`;
  const range = address.range();
  if (range === 'unicast') return null;
  const what = CLASS_NAMES[range] ?? `a special-purpose address (${range})`;
  return parsed === address ? `${given} is ${what}` : `${given} is ${what} in IPv6 form (${text})`;
}

const setting = (allow: TOutboundAllow) => (allow.source ? ` (RAMPART_OUTBOUND_ALLOW is "${allow.source}")` : ' (RAMPART_OUTBOUND_ALLOW can open it)');

/**
 * Resolves a host and checks every address it resolves to: one refused address refuses the host (a name
 * that resolves to a public and a private address could be steered to either). Answers the address to
 * connect to, so the request goes exactly where the check looked.
 */
export async function resolveAllowed(allow: TOutboundAllow, hostname: string): Promise<{ address: string; family: 4 | 6 }> {
  const host = normalizeHost(hostname);
  if (ipaddr.isValid(host)) {
    const reason = refusalOf(allow, host);
    if (reason) throw new OutboundRefusedError(`${reason}; outbound requests to it are refused${setting(allow)}`);
    return { address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 };
  }
  const addresses = await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw Object.assign(new Error(`${host} does not resolve`), { code: 'ENOTFOUND' });
  if (!hostAllowed(allow, host)) {
    for (const { address } of addresses) {
      const reason = refusalOf(allow, address);
      if (reason) throw new OutboundRefusedError(`${host} resolves to ${reason.replace(/^\S+ is /, `${address}, `)}; outbound requests to it are refused${setting(allow)}`);
    }
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A save waits this long for DNS at most; a slower name is checked by its requests instead. */
const WRITE_LOOKUP_MS = 2000;

/**
 * The write-time check of a URL a user gives: the reason it is refused, or null. A name that does not
 * resolve (yet, or in time) passes: every request resolves and checks it again, so it can never reach a
 * refused address.
 */
export async function urlRefusal(allow: TOutboundAllow, url: string): Promise<string | null> {
  if (!URL.canParse(url)) return 'is not a URL';
  const { hostname } = new URL(url);
  const check = resolveAllowed(allow, hostname).then(
    () => null,
    (error: unknown) => {
      if (error instanceof OutboundRefusedError) return error.message;
      // Any failure to resolve (no such name, a resolver that fails, a name getaddrinfo will not take).
      if (typeof (error as NodeJS.ErrnoException).code === 'string') return null;
      throw error;
    },
  );
  // Settled after the race was lost, it must not become an unhandled rejection.
  check.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), WRITE_LOOKUP_MS);
  });
  try {
    return await Promise.race([check, slow]);
  } finally {
    clearTimeout(timer);
  }
}
