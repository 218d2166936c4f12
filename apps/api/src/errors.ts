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
