/** A release event as stored, as recordEvents writes it and the event log reads it. `actorId` null: Rampart itself. */
export interface TStoredEvent {
  id: bigint;
  type: string;
  actorId: string | null;
  actorName: string;
  reason: string | null;
  data: unknown;
  revision: number;
  createdAt: Date;
}
