// One dashboard's socket: what it follows, and sending without ever buffering without bound. A frame
// is only written while the socket's send buffer (ws `bufferedAmount`) is under a limit; metric
// batches have the lower limit. A socket that had frames skipped is told to resync once it drains,
// and is dropped if it stays behind for too long. Nothing server-side waits for a slow socket.
import { WebSocket } from 'ws';
import { LIVE_CLOSE_CODES } from '@rampart/contracts';
import type { TCredential } from '../services/auth/revocations.js';

export interface TBackpressure {
  /** Over this many buffered bytes, metric batches are skipped. */
  skipMetricsBytes: number;
  /** Over this many, every frame is skipped. */
  skipAllBytes: number;
  /** A socket still behind this long after its first skipped frame is dropped. */
  dropAfterMs: number;
}

export const DEFAULT_BACKPRESSURE: TBackpressure = {
  skipMetricsBytes: 256 * 1024,
  skipAllBytes: 1024 * 1024,
  dropAfterMs: 10_000,
};

export type TFrameClass = 'metrics' | 'state';

export class LiveClient {
  readonly releaseIds = new Set<string>();
  followsReleases = false;
  /** Answered the last heartbeat ping (or sent anything since). */
  alive = true;
  /** Frames skipped since: null while the socket keeps up. */
  #behindSince: number | null = null;
  /** Releases whose frames were skipped; 'all' when a topic frame was. */
  #missed: Set<string> | 'all' = new Set();
  skipped = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: TBackpressure,
    /** What the socket authenticated with at its upgrade (null only in tests that add sockets directly). */
    readonly credential: TCredential | null = null,
  ) {}

  get behind(): boolean {
    return this.#behindSince !== null;
  }

  /** Sends an encoded frame unless the socket is too far behind; returns whether it was written. */
  send(frame: Buffer, kind: TFrameClass, releaseId: string | null): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    const limit = kind === 'metrics' ? this.limits.skipMetricsBytes : this.limits.skipAllBytes;
    if (this.socket.bufferedAmount > limit) {
      this.skipped += 1;
      this.#behindSince ??= Date.now();
      if (releaseId === null) this.#missed = 'all';
      else if (this.#missed !== 'all') this.#missed.add(releaseId);
      return false;
    }
    this.socket.send(frame, { binary: false });
    return true;
  }

  /**
   * For a socket behind: once drained under the metrics limit, tells it what to refetch; if still
   * behind after `dropAfterMs`, drops it (a close frame would queue behind what it never reads).
   */
  checkPressure(now: number): 'ok' | 'dropped' {
    if (this.#behindSince === null) return 'ok';
    if (this.socket.bufferedAmount <= this.limits.skipMetricsBytes) {
      const missed = this.#missed;
      this.#behindSince = null;
      this.#missed = new Set();
      const releaseIds = missed === 'all' ? null : [...missed];
      this.socket.send(JSON.stringify({ type: 'resync', reason: 'lagging', releaseIds }));
      return 'ok';
    }
    if (now - this.#behindSince > this.limits.dropAfterMs) {
      this.drop(LIVE_CLOSE_CODES.tooSlow);
      return 'dropped';
    }
    return 'ok';
  }

  drop(_code: number): void {
    this.socket.terminate();
  }

  /** A close frame with a reason; a peer that does not answer it within a second is cut off. */
  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }
}
