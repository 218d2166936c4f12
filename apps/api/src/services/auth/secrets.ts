// Session cookies and API tokens are long random strings; only their SHA-256 is stored, which is enough
// for 256-bit random secrets (a slow hash buys nothing against guessing them).
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'rpt_';

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
