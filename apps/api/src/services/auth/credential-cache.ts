// Every API request authenticates, and a pipeline pushing a dozen points a second would otherwise read
// its token (and its user) once per push. A credential looked up is kept for a few seconds, keyed by
// the secret's SHA-256 (never the secret), and dropped at once when a revocation names it: a revoked
// token, an ended session, or a user disabled, re-roled, re-passworded or otherwise changed. The TTL
// only bounds what a missed announcement could cost (a change written past the services, e.g. by hand
// in SQL); each credential's own expiry is checked on every hit.
import type { TActor } from '@rampart/domain';
import type { TCredential, TRevocation } from './revocations.js';

export interface TAuthenticated {
  actor: TActor;
  credential: TCredential;
}

interface TEntry {
  value: TAuthenticated;
  /** performance.now() when it stops being served. */
  until: number;
}

export interface TCredentialCacheOptions {
  /** How long a lookup is served from memory (wall-clock ms). Default 5 s. */
  ttlMs?: number;
  /** The most credentials kept; the oldest go first. Default 10,000. */
  maxEntries?: number;
}

export class CredentialCache {
  readonly #entries = new Map<string, TEntry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  /**
   * Bumped by every eviction: a lookup that started before a revocation may have read the row as it was
   * before, and must not be cached after it (it would bring the revoked credential back for a TTL).
   */
  #generation = 0;

  constructor(options: TCredentialCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The cached credential for this secret hash, or the lookup's answer (cached when it found one).
   * `now` is the app clock, on which credentials expire.
   */
  async lookup(hash: string, now: Date, load: () => Promise<TAuthenticated | null>): Promise<TAuthenticated | null> {
    const entry = this.#entries.get(hash);
    if (entry) {
      const { expiresAt } = entry.value.credential;
      if (entry.until > performance.now() && (!expiresAt || expiresAt > now)) return entry.value;
      this.#entries.delete(hash);
    }
    const generation = this.#generation;
    const value = await load();
    if (value && this.#ttlMs > 0 && generation === this.#generation) {
      this.#entries.set(hash, { value, until: performance.now() + this.#ttlMs });
      if (this.#entries.size > this.#maxEntries) {
        const oldest = this.#entries.keys().next();
        if (!oldest.done) this.#entries.delete(oldest.value);
      }
    }
    return value;
  }

  /** Drops every entry the revocation ends (a user's: all of theirs, which is never too many). */
  revoke(revocation: TRevocation): void {
    if (revocation.kind === 'user') return this.forgetUser(revocation.userId);
    this.#generation++;
    const [kind, id] = revocation.kind === 'token' ? ['token', revocation.tokenId] : ['session', revocation.sessionId];
    for (const [hash, entry] of this.#entries) {
      if (entry.value.credential.kind === kind && entry.value.credential.id === id) this.#entries.delete(hash);
    }
  }

  /** The user's name, roles or standing changed: their next request reads them again. */
  forgetUser(userId: string): void {
    this.#generation++;
    for (const [hash, entry] of this.#entries) {
      if (entry.value.credential.userId === userId) this.#entries.delete(hash);
    }
  }
}
