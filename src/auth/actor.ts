/** Who is doing something, for the audit trail: a signed-in person, or the system (jobs). */
export interface Actor {
  userId: string | null;
  /** Email of the person, or "system:<job>". */
  label: string;
  requestId?: string | null;
}

export const systemActor = (what: string): Actor => ({ userId: null, label: `system:${what}` });
