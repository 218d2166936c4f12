// Typed failures of the service layer. The error handler maps each kind to one HTTP status, so
// services never think in status codes and routes never catch.
import type { TBlocker } from '@rampart/domain';

export type TServiceErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'stale_revision'
  | 'illegal_transition'
  | 'blocked';

export const STATUS_OF_KIND: Record<TServiceErrorKind, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  stale_revision: 409,
  illegal_transition: 409,
  blocked: 422,
};

export interface TServiceErrorExtras {
  field?: string;
  blockers?: TBlocker[];
  state?: string;
  action?: string;
  /** The release as it is now, for 409 and 422 answers about a release. */
  releaseId?: string;
}

export class ServiceError extends Error {
  constructor(
    readonly kind: TServiceErrorKind,
    message: string,
    readonly extras: TServiceErrorExtras = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (what: string) => new ServiceError('not_found', `${what} not found`);
export const forbidden = (message: string) => new ServiceError('forbidden', message);
/** A body field the schema accepted but the rules refuse; named like validation errors name it. */
export const invalidBody = (field: string, message: string) =>
  new ServiceError('invalid', `body.${field}: ${message}`, { field: `body.${field}` });

/** A unique constraint a write ran into: the constraint's columns (may be unknown) and the table. */
export interface TUniqueViolation {
  fields: string[];
  table: string | null;
}

/**
 * The unique constraint behind a failed write, from Prisma's P2002 (its driver adapter reports the
 * columns or the index), a raw query's P2010 carrying PostgreSQL's 23505, or the adapter's own error;
 * null for any other failure. Two creates racing past a "does it exist?" check end here.
 */
export function uniqueViolationOf(error: unknown): TUniqueViolation | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, meta, name, cause } = error as { code?: unknown; meta?: Record<string, unknown>; name?: unknown; cause?: unknown };
  const adapterCause = (name === 'DriverAdapterError' ? cause : (meta?.['driverAdapterError'] as { cause?: unknown } | undefined)?.cause) as
    | { kind?: string; originalCode?: string; constraint?: { fields?: string[]; index?: string }; table?: string }
    | undefined;
  const isUnique =
    code === 'P2002' ||
    (code === 'P2010' && meta?.['code'] === '23505') ||
    adapterCause?.kind === 'UniqueConstraintViolation' ||
    adapterCause?.originalCode === '23505';
  if (!isUnique) return null;
  const target = meta?.['target'];
  const table = (meta?.['modelName'] as string | undefined) ?? adapterCause?.table ?? null;
  const constraint = adapterCause?.constraint;
  // PostgreSQL reports the index by name; Prisma names it Model_column_key (columns joined by _).
  const fromIndex = constraint?.index?.match(/^[^_]+_(.+)_key$/)?.[1]?.split('_');
  const fields = constraint?.fields ?? fromIndex ?? (Array.isArray(target) ? target.map(String) : typeof target === 'string' ? [target] : []);
  return { fields: fields.map((f) => f.replace(/^"|"$/g, '')), table };
}

/** The 409 for a unique-constraint race no service turned into its own message. */
export function uniqueConflict(violation: TUniqueViolation): ServiceError {
  const what = violation.table ? `A ${violation.table.replace(/"/g, '').toLowerCase()}` : 'A record';
  const which = violation.fields.length > 0 ? `this ${violation.fields.join(' and ')}` : 'these values';
  return new ServiceError('conflict', `${what} with ${which} exists already`);
}
