// The outbound policy on its own: which addresses it refuses and why, what the allow-list opens, and the
// client refusing at connect time (a real loopback server counts the connections that reached it).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundClient, failureOf } from '../../src/outbound/outbound-client.js';
import { NO_ALLOW, parseOutboundAllow, refusalOf, urlRefusal } from '../../src/outbound/outbound-policy.js';

const allow = (value: string) => {
  const parsed = parseOutboundAllow(value);
  expect(parsed.problems).toEqual([]);
  return parsed.allow;
};

describe('address classes refused by default', () => {
  const cases: [string, RegExp][] = [
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private address \(RFC 1918\)/],
    ['172.16.0.1', /private/],
    ['172.31.255.254', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /CGNAT/],
    ['100.127.255.254', /CGNAT/],
    ['169.254.10.10', /link-local/],
    ['169.254.169.254', /cloud metadata/],
    ['fd00:ec2::254', /cloud metadata/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique local/],
    ['fdff:ffff::1', /unique local/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['ff02::1', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['240.0.0.1', /special-purpose/],
    ['::ffff:127.0.0.1', /loopback address in IPv6 form/],
    ['::ffff:10.0.0.1', /private address \(RFC 1918\) in IPv6 form/],
    ['::ffff:169.254.169.254', /cloud metadata/],
    ['::ffff:7f00:1', /loopback/],
    ['::127.0.0.1', /loopback/],
    ['64:ff9b::a00:1', /special-purpose/],
  ];
  it.each(cases)('%s', (address, reason) => {
    expect(refusalOf(NO_ALLOW, address)).toMatch(reason);
  });

  it('lets public unicast addresses through', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '100.128.0.1', '172.32.0.1']) {
      expect(refusalOf(NO_ALLOW, address), address).toBeNull();
    }
  });
});

describe('RAMPART_OUTBOUND_ALLOW', () => {
  it('parses CIDR ranges, single addresses and host names, and names each bad entry', () => {
    const parsed = parseOutboundAllow(' 10.0.0.0/8, ::1 , [fd00::5], Prometheus.Monitoring.svc., *.svc.cluster.local ');
    expect(parsed.problems).toEqual([]);
    expect(parsed.allow.cidrs.map(([network, bits]) => `${network.toString()}/${bits}`)).toEqual(['10.0.0.0/8', '::1/128', 'fd00::5/128']);
    expect(parsed.allow.hosts).toEqual(['prometheus.monitoring.svc', '*.svc.cluster.local']);
    expect(parseOutboundAllow('10.0.0.0/33,bad host!,ok.example').problems).toEqual([
      '"10.0.0.0/33" is not a CIDR range such as 10.0.0.0/8 or fd00::/8',
      '"bad host!" is neither an address, a CIDR range nor a host name',
    ]);
  });

  it('opens exactly the listed ranges, mapped IPv6 forms included', () => {
    const opened = allow('10.20.0.0/16,127.0.0.1,fd00::/8');
    expect(refusalOf(opened, '10.20.3.4')).toBeNull();
    expect(refusalOf(opened, '::ffff:10.20.3.4')).toBeNull();
    expect(refusalOf(opened, '10.21.0.1')).toMatch(/private/);
    expect(refusalOf(opened, '127.0.0.1')).toBeNull();
    expect(refusalOf(opened, '127.0.0.2')).toMatch(/loopback/);
    expect(refusalOf(opened, 'fd12::1')).toBeNull();
    expect(refusalOf(opened, '169.254.169.254')).toMatch(/metadata/);
  });

  it('checks URLs at write time: literal addresses, names that resolve to refused addresses, allowed names', async () => {
    expect(await urlRefusal(NO_ALLOW, 'http://127.0.0.1:9090/')).toMatch(/^127\.0\.0\.1 is a loopback address; outbound requests to it are refused/);
    expect(await urlRefusal(NO_ALLOW, 'http://[::ffff:a9fe:a9fe]/latest/meta-data')).toMatch(/cloud metadata/);
    expect(await urlRefusal(NO_ALLOW, 'http://localhost:9090/')).toMatch(/^localhost resolves to 127\.0\.0\.1, a loopback address/);
    expect(await urlRefusal(NO_ALLOW, 'http://0x7f.1:9090/')).toMatch(/loopback/);
    expect(await urlRefusal(allow('localhost'), 'http://localhost:9090/')).toBeNull();
    expect(await urlRefusal(allow('127.0.0.0/8'), 'http://localhost:9090/')).toBeNull();
    expect(await urlRefusal(NO_ALLOW, 'http://8.8.8.8/')).toBeNull();
    // A name that does not resolve (yet) passes the write: every request checks it again.
    expect(await urlRefusal(NO_ALLOW, 'https://nothing-here.invalid/')).toBeNull();
  });
});

describe('the outbound client', () => {
  let connections = 0;
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end('go there');
  });
  server.on('connection', () => (connections += 1));
  let port = 0;

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses at connect time, by the address a name resolves to: nothing reaches the server', async () => {
    const client = createOutboundClient(NO_ALLOW);
    try {
      for (const url of [`http://localhost:${port}/`, `http://127.0.0.1:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
        const error = await client.fetch(url).catch((e: unknown) => e);
        const { code, cause } = failureOf(error);
        expect(code, url).toBe('OUTBOUND_REFUSED');
        expect(cause?.message, url).toMatch(/loopback/);
      }
      expect(connections).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('connects where the allow-list opens it, and hands a redirect back without following it', async () => {
    const client = createOutboundClient(allow('127.0.0.1'));
    try {
      const response = await client.fetch(`http://localhost:${port}/`);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data');
      await response.body?.cancel();
      expect(requests).toBe(1);
    } finally {
      await client.close();
    }
  });
});
