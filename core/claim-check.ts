// A claim check: a record value too large to travel in a start payload (and to sit in history) is
// stored once in PostgreSQL by its coordinates; the run receives this reference and an activity
// resolves it.

export interface ClaimCheckRef {
  readonly $claimCheck: {
    readonly topic: string;
    readonly partition: number;
    readonly offset: string;
    readonly bytes: number;
    readonly recordHash: string;
  };
}

export const isClaimCheck = (value: unknown): value is ClaimCheckRef =>
  typeof value === 'object' && value !== null && '$claimCheck' in value;
