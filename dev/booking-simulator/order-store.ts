// The orders API's books, in PostgreSQL beside the bookings (tables booking_sim_refunds and
// booking_sim_emails, scoped by instance): refunds, their reversals and sent emails. Each operation
// runs inside BookingStore.perform's transaction, which has already claimed the Idempotency-Key, so
// the same key can never make a second refund or a second email.
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { withSchemaLock } from '../../lib/schema-lock';
import type { OrderBook } from './orders';
import { VOID_HASH, type PerformOutcome, type StoredResponse } from './store';

const TABLES_LOCK_ID = 8_788_002;

export interface RefundRow {
  readonly refundId: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly status: 'refunded' | 'reversed';
  readonly idempotencyKey: string;
  readonly reason: string | null;
  readonly createdAt: Date;
  readonly reversedAt: Date | null;
}

export interface EmailRow {
  readonly emailId: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly orderId: string | null;
  readonly idempotencyKey: string;
  readonly sentAt: Date;
}

type Work = { response: StoredResponse; effect: PerformOutcome['effect'] };

export async function ensureOrderTables(pool: Pool): Promise<void> {
  await withSchemaLock(pool, TABLES_LOCK_ID, async (client) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS booking_sim_refunds (
        refund_id       text PRIMARY KEY,
        instance        text NOT NULL,
        order_id        text NOT NULL,
        amount_cents    integer NOT NULL,
        currency        text NOT NULL,
        status          text NOT NULL,
        idempotency_key text NOT NULL,
        reason          text,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        reversed_at     timestamptz,
        UNIQUE (instance, idempotency_key)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS booking_sim_emails (
        email_id        text PRIMARY KEY,
        instance        text NOT NULL,
        recipient       text NOT NULL,
        subject         text NOT NULL,
        body            text NOT NULL,
        order_id        text,
        idempotency_key text NOT NULL,
        sent_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (instance, idempotency_key)
      )`);
  });
}

const refusal = (status: number, code: string, message: string): Work => ({ response: { status, body: { error: { code, message } } }, effect: 'nothing' });
const idFor = (prefix: string, instance: string, key: string) => `${prefix}_${createHash('sha256').update(`${instance}/${key}`).digest('hex').slice(0, 16)}`;

type RefundDbRow = { refund_id: string; order_id: string; amount_cents: number; currency: string; status: RefundRow['status']; idempotency_key: string; reason: string | null; created_at: Date; reversed_at: Date | null };
const refundRow = (r: RefundDbRow): RefundRow => ({
  refundId: r.refund_id, orderId: r.order_id, amountCents: r.amount_cents, currency: r.currency, status: r.status,
  idempotencyKey: r.idempotency_key, reason: r.reason, createdAt: r.created_at, reversedAt: r.reversed_at,
});
const refundBody = (r: RefundRow) => ({ refundId: r.refundId, orderId: r.orderId, amountCents: r.amountCents, currency: r.currency, status: r.status, reason: r.reason });

export class OrderStore {
  constructor(
    private readonly pool: Pool,
    readonly instance: string,
    readonly orders: OrderBook,
  ) {}

  /** Refunds `amountCents` of the order; refused (and recorded under the key) past what is left to refund. */
  async refund(tx: PoolClient, key: string, orderId: string, amountCents: number, reason: string | null): Promise<Work> {
    const order = this.orders.get(orderId);
    if (!order) return refusal(404, 'order_not_found', `order ${orderId} does not exist; look the order up first (GET /orders/${orderId})`);
    // One refund at a time per order, so two keys cannot both take the last refundable cents.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.instance}/${orderId}`]);
    const { rows } = await tx.query<{ refunded: string }>(
      `SELECT COALESCE(SUM(amount_cents), 0) AS refunded FROM booking_sim_refunds WHERE instance = $1 AND order_id = $2 AND status = 'refunded'`,
      [this.instance, orderId],
    );
    const left = order.totalCents - Number(rows[0].refunded);
    if (amountCents > left) {
      return refusal(422, 'amount_exceeds_refundable', `refund of ${amountCents} cents on order ${orderId} exceeds the ${left} cents left to refund (total ${order.totalCents}); refund at most ${left}`);
    }
    const refundId = idFor('rf', this.instance, key);
    await tx.query(
      `INSERT INTO booking_sim_refunds (refund_id, instance, order_id, amount_cents, currency, status, idempotency_key, reason) VALUES ($1, $2, $3, $4, $5, 'refunded', $6, $7)`,
      [refundId, this.instance, orderId, amountCents, order.currency, key, reason],
    );
    return { response: { status: 201, body: { refundId, orderId, amountCents, currency: order.currency, status: 'refunded', reason } }, effect: 'created' };
  }

  /** Reverses a refund by its ID; reversing twice reverses once. */
  async reverseById(tx: PoolClient, refundId: string): Promise<Work> {
    const { rows } = await tx.query<RefundDbRow>('SELECT * FROM booking_sim_refunds WHERE instance = $1 AND refund_id = $2 FOR UPDATE', [this.instance, refundId]);
    if (!rows[0]) return refusal(404, 'refund_not_found', `refund ${refundId} does not exist; reverse by the refund's key with POST /refunds/reverse {"refundKey": ...} if its answer was lost`);
    return this.reverse(tx, refundRow(rows[0]));
  }

  /**
   * Reverses the refund made under `refundKey`. When nothing was ever sent under that key, the key is
   * voided: a refund arriving later with it is refused (409), so an undo that overtook a slow refund wins.
   */
  async reverseByKey(tx: PoolClient, refundKey: string): Promise<Work> {
    const voided = await tx.query(
      `INSERT INTO booking_sim_keys (instance, idempotency_key, endpoint, request_hash, status, body) VALUES ($1, $2, 'refund-order', $3, 409, $4) ON CONFLICT DO NOTHING RETURNING 1`,
      [this.instance, refundKey, VOID_HASH, { error: { code: 'voided', message: `the refund under ${refundKey} was reversed before it was made` } }],
    );
    if (voided.rowCount === 1) return { response: { status: 200, body: { refundId: null, status: 'nothing-to-reverse', refundKey } }, effect: 'voided' };
    const { rows } = await tx.query<RefundDbRow>('SELECT * FROM booking_sim_refunds WHERE instance = $1 AND idempotency_key = $2 FOR UPDATE', [this.instance, refundKey]);
    // The refund was refused (order unknown, amount too large): there is nothing to reverse.
    if (!rows[0]) return { response: { status: 200, body: { refundId: null, status: 'nothing-to-reverse', refundKey } }, effect: 'nothing' };
    return this.reverse(tx, refundRow(rows[0]));
  }

  private async reverse(tx: PoolClient, refund: RefundRow): Promise<Work> {
    if (refund.status === 'reversed') return { response: { status: 200, body: { ...refundBody(refund), alreadyReversed: true } }, effect: 'nothing' };
    await tx.query(`UPDATE booking_sim_refunds SET status = 'reversed', reversed_at = clock_timestamp() WHERE refund_id = $1`, [refund.refundId]);
    return { response: { status: 200, body: { ...refundBody(refund), status: 'reversed' } }, effect: 'undone' };
  }

  async sendEmail(tx: PoolClient, key: string, email: { to: string; subject: string; body: string; orderId?: string }): Promise<Work> {
    const emailId = idFor('em', this.instance, key);
    await tx.query(
      'INSERT INTO booking_sim_emails (email_id, instance, recipient, subject, body, order_id, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [emailId, this.instance, email.to, email.subject, email.body, email.orderId ?? null, key],
    );
    return { response: { status: 201, body: { emailId, to: email.to, subject: email.subject, orderId: email.orderId ?? null, status: 'sent' } }, effect: 'created' };
  }

  async refunds(where: { orderId?: string } = {}): Promise<RefundRow[]> {
    const { rows } = await this.pool.query<RefundDbRow>(
      'SELECT * FROM booking_sim_refunds WHERE instance = $1 AND ($2::text IS NULL OR order_id = $2) ORDER BY created_at, refund_id',
      [this.instance, where.orderId ?? null],
    );
    return rows.map(refundRow);
  }

  async emails(where: { to?: string } = {}): Promise<EmailRow[]> {
    const { rows } = await this.pool.query<{ email_id: string; recipient: string; subject: string; body: string; order_id: string | null; idempotency_key: string; sent_at: Date }>(
      'SELECT * FROM booking_sim_emails WHERE instance = $1 AND ($2::text IS NULL OR recipient = $2) ORDER BY sent_at, email_id',
      [this.instance, where.to ?? null],
    );
    return rows.map((r) => ({ emailId: r.email_id, to: r.recipient, subject: r.subject, body: r.body, orderId: r.order_id, idempotencyKey: r.idempotency_key, sentAt: r.sent_at }));
  }
}
