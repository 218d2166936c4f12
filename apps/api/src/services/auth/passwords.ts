// Passwords are hashed with scrypt (memory-hard, in Node's crypto), with the cost stored beside the hash
// so it can be raised later without invalidating old hashes. Hashing runs a few at a time: each takes
// about 0.3 s of a core, and a flood of logins must queue behind that bound instead of taking every core
// (and libuv's threadpool) from the requests that are not logins.
import { availableParallelism } from 'node:os';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import pLimit from 'p-limit';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export interface TScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (N=2^15, r=8, p=3): about 0.3 s a hash on this machine kind. */
export const DEFAULT_COST: TScryptCost = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;

/**
 * Half the cores hash at once, at least one and at most two: the other cores stay with the event loop,
 * and libuv's four threads (where scrypt runs) keep room for file and DNS work.
 */
export const HASHING_CONCURRENCY = Math.max(1, Math.min(2, Math.floor(availableParallelism() / 2)));
const hashing = pLimit(HASHING_CONCURRENCY);

/** Hashes running now and waiting for a turn (for logs and tests). */
export function hashingLoad(): { active: number; waiting: number } {
  return { active: hashing.activeCount, waiting: hashing.pendingCount };
}

/** A login throttle's hooks into one verification, run while it holds its hashing turn. */
export interface TAttemptGuard {
  /** Right before hashing; throws to refuse the attempt unhashed. */
  admit(): Promise<void>;
  /** After a mismatch, before the next attempt in the queue is admitted. */
  failed(): Promise<void>;
}

function maxmemFor(cost: TScryptCost): number {
  return 128 * cost.N * cost.r * 2;
}

export async function hashPassword(password: string, cost: TScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await hashing(() => scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, { ...cost, maxmem: maxmemFor(cost) }));
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * With a guard, the throttle is checked and fed inside the hashing turn, so attempts queued behind a
 * flood see every failure before them and are refused without hashing once the limit is used up.
 */
export async function verifyPassword(password: string, stored: string, guard?: TAttemptGuard): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(keyText, 'base64url');
  return hashing(async () => {
    await guard?.admit();
    const salt = Buffer.from(saltText, 'base64url');
    const actual = await scryptAsync(password.normalize('NFKC'), salt, expected.length, { ...cost, maxmem: maxmemFor(cost) });
    const matches = actual.length === expected.length && timingSafeEqual(actual, expected);
    if (!matches) await guard?.failed();
    return matches;
  });
}
