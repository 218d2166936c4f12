// One websocket per tab to GET /api/ws (protocol: @rampart/contracts live.ts). It keeps the
// subscriptions the pages ask for, reconnects with backoff, closes while the tab is hidden and
// tells its owner when to catch up. It knows nothing about React or the query cache.
import type { TLiveClientMessage, TLiveServerMessage } from '@rampart/contracts';
import { backoffDelay } from './live-cache';

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'paused';

export interface LiveClientHandlers {
  onMessage(message: TLiveServerMessage): void;
  /** The socket is open again after a gap (reconnect or tab shown): refetch what may have been missed. */
  onCatchUp(releaseIds: string[], topics: string[]): void;
  onStatus(status: LiveStatus, detail: { retryAt: number | null; everConnected: boolean }): void;
}

export interface LiveClientOptions {
  url?: string;
  createSocket?: (url: string) => WebSocket;
  document?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  heartbeatMs?: number;
}

export class LiveClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private everConnected = false;
  private hadGap = false;
  private stopped = false;
  private readonly releases = new Map<string, number>();
  private readonly topics = new Map<string, number>();
  private readonly url: string;
  private readonly createSocket: (url: string) => WebSocket;
  private readonly doc: LiveClientOptions['document'];
  private readonly heartbeatMs: number;
  status: LiveStatus = 'connecting';

  constructor(private readonly handlers: LiveClientHandlers, options: LiveClientOptions = {}) {
    this.url = options.url ?? defaultUrl();
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.doc = options.document ?? (typeof document === 'undefined' ? undefined : document);
    this.heartbeatMs = options.heartbeatMs ?? 25_000;
  }

  start(): void {
    this.stopped = false;
    this.doc?.addEventListener('visibilitychange', this.onVisibility);
    if (this.doc?.visibilityState === 'hidden') this.setStatus('paused');
    else this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.doc?.removeEventListener('visibilitychange', this.onVisibility);
    this.clearTimers();
    this.closeSocket();
  }

  /** Follow a release (ref-counted); returns the unsubscribe. */
  followRelease(id: string): () => void {
    const count = this.releases.get(id) ?? 0;
    this.releases.set(id, count + 1);
    if (count === 0) this.send({ type: 'subscribe', releaseIds: [id] });
    return () => {
      const left = (this.releases.get(id) ?? 1) - 1;
      if (left > 0) this.releases.set(id, left);
      else {
        this.releases.delete(id);
        this.send({ type: 'unsubscribe', releaseIds: [id] });
      }
    };
  }

  /** Follow every release's summary (the list pages). */
  followReleases(): () => void {
    const count = this.topics.get('releases') ?? 0;
    this.topics.set('releases', count + 1);
    if (count === 0) this.send({ type: 'subscribe', topic: 'releases' });
    return () => {
      const left = (this.topics.get('releases') ?? 1) - 1;
      if (left > 0) this.topics.set('releases', left);
      else {
        this.topics.delete('releases');
        this.send({ type: 'unsubscribe', topic: 'releases' });
      }
    };
  }

  private readonly onVisibility = (): void => {
    if (this.stopped) return;
    if (this.doc?.visibilityState === 'hidden') {
      // Pause the stream while nobody looks; catch up when shown.
      this.clearTimers();
      this.closeSocket();
      this.hadGap = true;
      this.setStatus('paused');
    } else if (!this.socket) {
      this.attempt = 0;
      this.connect();
    }
  };

  private connect(): void {
    if (this.stopped || this.socket) return;
    this.setStatus(this.everConnected ? 'offline' : 'connecting');
    let socket: WebSocket;
    try {
      socket = this.createSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      const caughtUp = this.everConnected || this.hadGap;
      this.everConnected = true;
      this.hadGap = false;
      this.resubscribe();
      this.setStatus('live');
      this.heartbeat = setInterval(() => this.send({ type: 'ping' }), this.heartbeatMs);
      if (caughtUp) this.handlers.onCatchUp([...this.releases.keys()], [...this.topics.keys()]);
    };
    socket.onmessage = (event: MessageEvent) => {
      let message: TLiveServerMessage;
      try {
        message = JSON.parse(String(event.data)) as TLiveServerMessage;
      } catch {
        return;
      }
      if (message && typeof message === 'object' && 'type' in message) this.handlers.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      if (this.everConnected) this.hadGap = true;
      if (!this.stopped && this.status !== 'paused') this.scheduleRetry();
    };
    socket.onerror = () => {
      // onclose follows and schedules the retry.
    };
  }

  private resubscribe(): void {
    const ids = [...this.releases.keys()];
    for (let i = 0; i < ids.length; i += 50) this.send({ type: 'subscribe', releaseIds: ids.slice(i, i + 50) });
    if (this.topics.has('releases')) this.send({ type: 'subscribe', topic: 'releases' });
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.setStatus(this.everConnected ? 'offline' : 'connecting', Date.now() + delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private send(message: TLiveClientMessage): void {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close();
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setStatus(status: LiveStatus, retryAt: number | null = null): void {
    this.status = status;
    this.handlers.onStatus(status, { retryAt, everConnected: this.everConnected });
  }
}

function defaultUrl(): string {
  if (typeof location === 'undefined') return 'ws://localhost/api/ws';
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/ws`;
}
