import type { TRefusal, TSignoffRefusal } from '@rampart/domain';
import { ServiceError, invalidBody } from '../../errors.js';

export function refusalError(refusal: TRefusal, releaseId: string): ServiceError {
  switch (refusal.kind) {
    case 'illegal_transition':
      return new ServiceError('illegal_transition', refusal.message, {
        state: refusal.state,
        action: refusal.action,
        releaseId,
      });
    case 'blocked':
      return new ServiceError('blocked', refusal.message, { blockers: refusal.blockers, action: refusal.action, releaseId });
    case 'invalid':
      return invalidBody(refusal.field, refusal.message);
    case 'finished':
      return new ServiceError('conflict', refusal.message, { state: refusal.state, releaseId });
  }
}

export function signoffError(refusal: TSignoffRefusal, releaseId: string): ServiceError {
  switch (refusal.kind) {
    case 'forbidden':
      return new ServiceError('forbidden', refusal.message);
    case 'not_found':
      return invalidBody(refusal.field, refusal.message);
    case 'conflict':
      return new ServiceError('conflict', refusal.message, { releaseId });
    case 'invalid':
      return invalidBody(refusal.field, refusal.message);
  }
}

export function staleRevision(releaseId: string, expected: number): ServiceError {
  return new ServiceError('stale_revision', `The release changed since revision ${expected}; reload and try again`, {
    releaseId,
  });
}
