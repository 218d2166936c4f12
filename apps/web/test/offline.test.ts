import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import { isUnreachable, nextOfflineSince, offlineText, viewOf } from '../src/lib/offline';

const network = new ApiError(0, null, 'Failed to fetch');

describe('offline: keep what was known', () => {
  it('keeps the last data on screen when a refetch cannot reach the server', () => {
    const release = { id: 'r1' };
    expect(viewOf({ isPending: false, isError: true, error: network, data: release })).toEqual({ kind: 'data', offline: true });
    expect(viewOf({ isPending: false, isError: false, error: null, data: release })).toEqual({ kind: 'data', offline: false });
    // A refusal is not being offline: the data stays, without the banner.
    expect(viewOf({ isPending: false, isError: true, error: new ApiError(403, null, 'no'), data: release })).toEqual({ kind: 'data', offline: false });
  });

  it('shows the error only when nothing was ever known', () => {
    expect(viewOf({ isPending: false, isError: true, error: network, data: undefined })).toEqual({ kind: 'error', error: network });
    expect(viewOf({ isPending: true, isError: false, error: null, data: undefined })).toEqual({ kind: 'pending' });
  });

  it('counts as unreachable the network and a gateway saying so, not a refusal', () => {
    expect(isUnreachable(network)).toBe(true);
    expect(isUnreachable(new ApiError(503, null, 'down'))).toBe(true);
    expect(isUnreachable(new ApiError(500, null, 'bug'))).toBe(false);
    expect(isUnreachable(new Error('x'))).toBe(false);
  });

  it('dates the banner from the first failure, and clears it on the first answer', () => {
    let since = nextOfflineSince(null, true, 1_000);
    since = nextOfflineSince(since, true, 6_000);
    expect(since).toBe(1_000);
    expect(nextOfflineSince(since, false, 6_000)).toBeNull();
  });

  it('says since when, what is shown, and that it retries', () => {
    const at = new Date(2026, 10, 29, 14, 3, 27).getTime();
    const text = offlineText(at);
    expect(text).toMatch(/^Offline since .*03.*27.* — showing what was known then; retrying$/);
  });
});
