import { z } from 'zod';
import { ZBlockerKind } from './enums.js';
import { safeText } from './safe-text.js';

export const ZUuid = z.uuid();
export const ZIsoDate = z.string().describe('ISO 8601 date and time, UTC');

export const ZIdParams = z.object({ id: ZUuid });

/** A revision or version the client saw: a PostgreSQL integer, so a larger one is refused here, not by the database. */
export const ZSeenRevision = z.number().int().min(1).max(2_147_483_647);

/** Every error answer has this shape; `field` names the offending input where there is one. */
export const ZApiError = z.object({
  statusCode: z.number().int(),
  error: z.string().describe('A stable machine-readable code'),
  message: z.string(),
  field: z.string().optional(),
}).meta({ id: 'ApiError' });
export type TApiError = z.infer<typeof ZApiError>;

export const ZUserRef = z.object({ id: ZUuid, name: z.string(), email: z.string() }).meta({ id: 'UserRef' });
export type TUserRef = z.infer<typeof ZUserRef>;

export const ZBlocker = z.object({
  kind: ZBlockerKind,
  message: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number()])),
}).meta({ id: 'Blocker' });
export type TBlockerDto = z.infer<typeof ZBlocker>;

/** Bounded, trimmed text from a person: reasons, notes, comments. */
export function boundedText(max: number) {
  return safeText().trim().max(max, `must be at most ${max} characters`);
}
