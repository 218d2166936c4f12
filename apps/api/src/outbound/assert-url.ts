// The write-time half of the outbound policy: a URL a user stores for the server to call later is
// refused with a 400 naming its field, before anything is saved. The request-time half is the client.
import { invalidBody } from '../errors.js';
import type { TOutboundAllow } from './outbound-policy.js';
import { urlRefusal } from './outbound-policy.js';

export async function assertOutboundUrl(allow: TOutboundAllow, url: string, field: string): Promise<void> {
  const reason = await urlRefusal(allow, url);
  if (reason !== null) throw invalidBody(field, reason);
}
