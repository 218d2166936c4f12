// Passwords are hashed with scrypt (memory-hard, in Node's crypto), with the cost stored beside the hash
// so it can be raised later without invalidating old hashes.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

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

function maxmemFor(cost: TScryptCost): number {
  return 128 * cost.N * cost.r * 2;
}

export async function hashPassword(password: string, cost: TScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, { ...cost, maxmem: maxmemFor(cost) });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(saltText, 'base64url'), expected.length, {
    ...cost,
    maxmem: maxmemFor(cost),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
