// Conditional GETs (RFC 9110 §13.1.2): reads carry a validator, and a caller whose copy is current
// gets 304 with no body. If-None-Match always compares weakly, as the RFC says it must.
import type { FastifyReply, FastifyRequest } from 'fastify';

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/**
 * Answers 304 when the caller holds `etag`, else the JSON `render` makes, already serialized: these
 * answers are built from typed values and kept between reads, so they skip the per-request schema pass
 * (Fastify sends a string or Buffer with a JSON content type as it is). A Buffer kept between reads is
 * not encoded again per answer.
 * `no-cache` makes browsers revalidate every time instead of guessing a freshness lifetime.
 */
export async function sendConditionalJson(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  render: () => Promise<string | Buffer> | string | Buffer,
  cacheControl = 'private, no-cache',
): Promise<FastifyReply> {
  reply.header('etag', etag).header('cache-control', cacheControl);
  if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(await render());
}
