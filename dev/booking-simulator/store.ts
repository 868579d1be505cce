// The booking simulator's books, in PostgreSQL (its own tables, apart from the project's): bookings,
// an event per action (so tests count cancellations per booking), and the response recorded per
// Idempotency-Key. Each request is one transaction that claims its key first: a second request with
// the key waits for the first to commit and then gets the recorded response, never a second booking.
import { withSchemaLock } from '../../lib/schema-lock';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { ENDPOINT_KIND, UNDO_OF, type BookingEndpoint, type BookingKind } from './endpoints';
import type { OrderEndpoint } from './order-endpoints';

/** Every endpoint whose requests claim an Idempotency-Key in the books. */
export type KeyedEndpoint = BookingEndpoint | OrderEndpoint;

const TABLES_LOCK_ID = 8_788_001;

export interface StoredResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface PerformOutcome extends StoredResponse {
  readonly replayed: boolean;
  /** What the request did to the books (none for a replay or a refusal). */
  readonly effect?: 'created' | 'undone' | 'voided' | 'nothing';
}

export interface BookingRow {
  readonly bookingId: string;
  readonly kind: BookingKind;
  readonly status: 'reserved' | 'charged' | 'cancelled' | 'refunded';
  readonly idempotencyKey: string;
  readonly tripId: string | null;
  readonly amountCents: number;
  readonly details: Record<string, unknown>;
  readonly createdAt: Date;
  readonly undoneAt: Date | null;
}

export interface BookingEvent {
  readonly id: number;
  readonly bookingId: string | null;
  readonly kind: BookingKind;
  readonly action: 'reserve' | 'charge' | 'cancel' | 'refund' | 'void';
  readonly idempotencyKey: string;
  readonly at: Date;
}

export async function ensureBookingTables(pool: Pool): Promise<void> {
  await withSchemaLock(pool, TABLES_LOCK_ID, async (client) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS booking_sim_keys (
        instance        text NOT NULL,
        idempotency_key text NOT NULL,
        endpoint        text NOT NULL,
        request_hash    text NOT NULL,
        status          integer,
        body            jsonb,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (instance, idempotency_key)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS booking_sim_bookings (
        booking_id      text PRIMARY KEY,
        instance        text NOT NULL,
        kind            text NOT NULL,
        status          text NOT NULL,
        idempotency_key text NOT NULL,
        trip_id         text,
        amount_cents    integer NOT NULL,
        details         jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        undone_at       timestamptz,
        UNIQUE (instance, idempotency_key)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS booking_sim_events (
        id              bigserial PRIMARY KEY,
        instance        text NOT NULL,
        booking_id      text,
        kind            text NOT NULL,
        action          text NOT NULL,
        idempotency_key text NOT NULL,
        at              timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  });
}

export const requestHash = (endpoint: KeyedEndpoint, body: unknown) =>
  createHash('sha256').update(`${endpoint}\n${JSON.stringify(body)}`).digest('hex');

// The marker of a reservation key that an undo claimed before any reservation used it.
export const VOID_HASH = 'void';

/** Deterministic prices from the key, so a replayed answer and the stored booking agree. */
function priceCents(kind: BookingKind, key: string, nights = 1): number {
  const h = createHash('sha256').update(key).digest().readUInt32BE(0);
  return kind === 'flight' ? 8_000 + (h % 50_000) : nights * (6_000 + (h % 20_000));
}

export class BookingStore {
  constructor(
    readonly pool: Pool,
    readonly instance: string,
  ) {}

  /**
   * Claims the key, runs `work` in the same transaction and records its response under the key. A
   * key already recorded gets its response back (`replayed`); a key reused for another request is a 422.
   */
  async perform(
    endpoint: KeyedEndpoint,
    key: string,
    body: unknown,
    work: (tx: PoolClient) => Promise<{ response: StoredResponse; effect: PerformOutcome['effect'] }>,
  ): Promise<PerformOutcome> {
    const hash = requestHash(endpoint, body);
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN');
      // Waits for a concurrent transaction holding the same key, then sees its committed row.
      const claimed = await tx.query(
        `INSERT INTO booking_sim_keys (instance, idempotency_key, endpoint, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [this.instance, key, endpoint, hash],
      );
      if (claimed.rowCount === 0) {
        const { rows } = await tx.query<{ endpoint: string; request_hash: string; status: number; body: Record<string, unknown> }>(
          'SELECT endpoint, request_hash, status, body FROM booking_sim_keys WHERE instance = $1 AND idempotency_key = $2',
          [this.instance, key],
        );
        await tx.query('ROLLBACK');
        const prior = rows[0];
        if (prior.request_hash === VOID_HASH && prior.endpoint === endpoint) return { status: prior.status, body: prior.body, replayed: true };
        if (prior.endpoint !== endpoint || prior.request_hash !== hash) {
          return {
            status: 422,
            body: { error: { code: 'idempotency_key_reused', message: `Idempotency-Key ${key} was used for another request (${prior.endpoint}); use a new key for a new request` } },
            replayed: false,
          };
        }
        return { status: prior.status, body: prior.body, replayed: true };
      }
      const { response, effect } = await work(tx);
      await tx.query('UPDATE booking_sim_keys SET status = $3, body = $4 WHERE instance = $1 AND idempotency_key = $2', [this.instance, key, response.status, response.body]);
      await tx.query('COMMIT');
      return { ...response, replayed: false, effect };
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }

  /** Creates a flight, a hotel booking or a charge. */
  async create(tx: PoolClient, kind: BookingKind, key: string, tripId: string | null, details: Record<string, unknown>, amountCents?: number): Promise<StoredResponse> {
    const bookingId = `${kind === 'charge' ? 'ch' : kind === 'flight' ? 'fl' : 'ht'}_${createHash('sha256').update(`${this.instance}/${key}`).digest('hex').slice(0, 16)}`;
    const amount = amountCents ?? priceCents(kind, key, typeof details.nights === 'number' ? details.nights : 1);
    const status = kind === 'charge' ? 'charged' : 'reserved';
    await tx.query(
      `INSERT INTO booking_sim_bookings (booking_id, instance, kind, status, idempotency_key, trip_id, amount_cents, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [bookingId, this.instance, kind, status, key, tripId, amount, details],
    );
    await this.event(tx, bookingId, kind, kind === 'charge' ? 'charge' : 'reserve', key);
    return { status: 201, body: { bookingId, kind, status, tripId, amountCents: amount, ...details } };
  }

  /**
   * Cancels (or refunds) what the reservation key `reservationKey` created. When nothing was ever
   * sent under that key, the key is voided: a reservation arriving later with it is refused (409),
   * so an undo that overtook a slow action still wins.
   */
  async undo(tx: PoolClient, endpoint: BookingEndpoint, key: string, reservationKey: string): Promise<{ response: StoredResponse; effect: PerformOutcome['effect'] }> {
    const kind = ENDPOINT_KIND[endpoint];
    const original = UNDO_OF[endpoint]!;
    const undone = kind === 'charge' ? 'refunded' : 'cancelled';
    const voided = await tx.query(
      `INSERT INTO booking_sim_keys (instance, idempotency_key, endpoint, request_hash, status, body) VALUES ($1, $2, $3, $4, 409, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [this.instance, reservationKey, original, VOID_HASH, { error: { code: 'voided', message: `${original} under ${reservationKey} was undone (${endpoint}, key ${key}) before it was made` } }],
    );
    if (voided.rowCount === 1) {
      await this.event(tx, null, kind, 'void', key);
      return { response: { status: 200, body: { bookingId: null, kind, status: `nothing-to-${kind === 'charge' ? 'refund' : 'cancel'}`, reservationKey } }, effect: 'voided' };
    }
    const { rows } = await tx.query<{ booking_id: string; kind: string; status: string }>(
      'SELECT booking_id, kind, status FROM booking_sim_bookings WHERE instance = $1 AND idempotency_key = $2 FOR UPDATE',
      [this.instance, reservationKey],
    );
    const booking = rows[0];
    if (!booking) {
      // The reservation was refused (declined card, voided key): there is nothing to undo.
      return { response: { status: 200, body: { bookingId: null, kind, status: `nothing-to-${kind === 'charge' ? 'refund' : 'cancel'}`, reservationKey } }, effect: 'nothing' };
    }
    if (booking.kind !== kind) {
      return {
        response: { status: 422, body: { error: { code: 'wrong_kind', message: `${reservationKey} is a ${booking.kind}, not a ${kind}; use the matching undo endpoint` } } },
        effect: 'nothing',
      };
    }
    if (booking.status === undone) {
      return { response: { status: 200, body: { bookingId: booking.booking_id, kind, status: undone, alreadyUndone: true, reservationKey } }, effect: 'nothing' };
    }
    await tx.query('UPDATE booking_sim_bookings SET status = $2, undone_at = clock_timestamp() WHERE booking_id = $1', [booking.booking_id, undone]);
    await this.event(tx, booking.booking_id, kind, kind === 'charge' ? 'refund' : 'cancel', key);
    return { response: { status: 200, body: { bookingId: booking.booking_id, kind, status: undone, reservationKey } }, effect: 'undone' };
  }

  /** Records a refusal under the key (a declined card stays declined when the same key comes back). */
  refusal(status: number, code: string, message: string): StoredResponse {
    return { status, body: { error: { code, message } } };
  }

  private async event(tx: PoolClient, bookingId: string | null, kind: BookingKind, action: BookingEvent['action'], key: string): Promise<void> {
    await tx.query('INSERT INTO booking_sim_events (instance, booking_id, kind, action, idempotency_key) VALUES ($1, $2, $3, $4, $5)', [this.instance, bookingId, kind, action, key]);
  }

  async bookings(where: { tripId?: string } = {}): Promise<BookingRow[]> {
    const { rows } = await this.pool.query<{
      booking_id: string; kind: BookingKind; status: BookingRow['status']; idempotency_key: string; trip_id: string | null;
      amount_cents: number; details: Record<string, unknown>; created_at: Date; undone_at: Date | null;
    }>(
      `SELECT * FROM booking_sim_bookings WHERE instance = $1 AND ($2::text IS NULL OR trip_id = $2) ORDER BY created_at, booking_id`,
      [this.instance, where.tripId ?? null],
    );
    return rows.map((r) => ({
      bookingId: r.booking_id, kind: r.kind, status: r.status, idempotencyKey: r.idempotency_key, tripId: r.trip_id,
      amountCents: r.amount_cents, details: r.details, createdAt: r.created_at, undoneAt: r.undone_at,
    }));
  }

  async events(): Promise<BookingEvent[]> {
    const { rows } = await this.pool.query<{ id: string; booking_id: string | null; kind: BookingKind; action: BookingEvent['action']; idempotency_key: string; at: Date }>(
      'SELECT id, booking_id, kind, action, idempotency_key, at FROM booking_sim_events WHERE instance = $1 ORDER BY id',
      [this.instance],
    );
    return rows.map((r) => ({ id: Number(r.id), bookingId: r.booking_id, kind: r.kind, action: r.action, idempotencyKey: r.idempotency_key, at: r.at }));
  }
}
