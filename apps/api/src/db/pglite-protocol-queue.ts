// A replacement for pglite-socket's internal query queue (0.2.17). PGlite is one backend
// session; the socket server multiplexes many client connections onto it message by message.
// Its own queue keeps a connection's messages together only while an explicit transaction is
// open, so an extended-protocol cycle (Parse, Bind, Describe, Execute ... Sync) from one
// connection can be split by another connection's messages whenever the first one's bytes
// arrive in two socket reads (large statements do): the unnamed statement and portal are
// shared, so the first client then runs the other's statement or gets "portal does not
// exist". Its queue also stops for good after one internal error (processing flag left set).
// Both are pglite issue #1046. This queue gives one connection the session from its first
// message of a cycle until its Sync or simple Query has completed, and for as long as it holds
// a transaction open afterwards; an internal error or a disconnect resets the session and
// hands it on.
import type { PGlite } from '@electric-sql/pglite';

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

// Frontend messages after which the backend sends ReadyForQuery: the end of a cycle.
// Everything else (Parse, Bind, Describe, Execute, Close, Flush, CopyData ...) is the middle of
// one, and the startup message (no type byte, its first byte is the length's high byte 0)
// also ends with ReadyForQuery.
const CYCLE_END = new Set([0x51 /* Q */, 0x53 /* S */, 0x58 /* X */, 0x00 /* startup */]);

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + text.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}

/** Same public surface as pglite-socket's QueryQueueManager, which its handlers call. */
export class ProtocolCycleQueue {
  readonly #db: PGlite;
  #queue: Pending[] = [];
  /** The connection that holds the session (mid-cycle or in a transaction), or null. */
  #owner: number | null = null;
  /** The connection whose message is executing now. */
  #current: number | null = null;
  #draining = false;
  /** Connections that were detached: their late messages are refused, their hold released. */
  readonly #gone = new Set<number>();

  constructor(db: PGlite) {
    this.#db = db;
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.#gone.has(handlerId)) return Promise.reject(new Error('Handler disconnected'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ handlerId, message, onData, resolve, reject });
      void this.#drain();
    });
  }

  getQueueLength(): number {
    return this.#queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.#gone.add(handlerId);
    const kept: Pending[] = [];
    for (const pending of this.#queue) {
      if (pending.handlerId === handlerId) pending.reject(new Error('Handler disconnected'));
      else kept.push(pending);
    }
    this.#queue = kept;
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.#gone.add(handlerId);
    // A message of this connection still executing releases the hold itself when it ends.
    if (this.#owner === handlerId && this.#current !== handlerId) await this.#resetSession();
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (;;) {
        const owner = this.#owner;
        const index = owner === null ? (this.#queue.length > 0 ? 0 : -1) : this.#queue.findIndex((p) => p.handlerId === owner);
        // Nothing runnable: the holder's next message has not arrived yet; enqueue restarts us.
        if (index === -1) return;
        const [pending] = this.#queue.splice(index, 1);
        if (pending) await this.#run(pending);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #run(pending: Pending): Promise<void> {
    const { handlerId, message } = pending;
    let bytes = 0;
    this.#current = handlerId;
    try {
      await this.#db.runExclusive(() =>
        this.#db.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            pending.onData(data);
          },
        }),
      );
    } catch (error) {
      // The connection is closed by its handler after this; leave the session clean for others.
      this.#current = null;
      await this.#resetSession();
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#current = null;
    const midCycle = !CYCLE_END.has(message[0] ?? 0);
    this.#owner = midCycle || this.#db.isInTransaction() ? handlerId : null;
    if (this.#owner === handlerId && this.#gone.has(handlerId)) await this.#resetSession();
    pending.resolve(bytes);
  }

  /** Ends any half-sent cycle and open transaction of the holder, then frees the session. */
  async #resetSession(): Promise<void> {
    // The replies go nowhere. (Not execProtocolRaw: PGlite keeps the last stream's output
    // callback, so its replies would reach the socket of whoever ran the last message.)
    const discard = { onRawData: () => undefined };
    try {
      await this.#db.runExclusive(async () => {
        if (this.#db.closed) return;
        await this.#db.execProtocolRawStream(SYNC, discard);
        if (this.#db.isInTransaction()) await this.#db.execProtocolRawStream(simpleQuery('ROLLBACK'), discard);
      });
    } catch {
      // The database is closing or broken; nothing more can be done for this session.
    } finally {
      this.#owner = null;
    }
  }
}
