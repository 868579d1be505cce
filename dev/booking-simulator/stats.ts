// The booking simulator's counters and request log: everything a test asserts on besides the books
// themselves (requests per endpoint, replays, what was created and undone, which faults fired).
import { SIM_ENDPOINT_NAMES, type FaultKind, type SimEndpoint } from './faults';
import type { PerformOutcome } from './store';

/** What the orders API did (refused requests and replays change nothing here). */
export interface OrderStats {
  lookups: number;
  refundsCreated: number;
  /** Refunds made per order ID (a replayed key makes none). */
  refundsByOrder: Record<string, number>;
  refundedCentsByOrder: Record<string, number>;
  reversals: number;
  /** Reversals by key that found no refund and voided the key. */
  reversalVoids: number;
  emailsSent: number;
  emailsByRecipient: Record<string, number>;
}

export interface BookingStats {
  requests: number;
  requestsByEndpoint: Record<SimEndpoint, number>;
  /** Every request per Idempotency-Key it carried, first and repeated ones alike. */
  requestsByIdempotencyKey: Record<string, number>;
  /** Requests answered from the response recorded under their Idempotency-Key. */
  replays: number;
  replaysByEndpoint: Record<SimEndpoint, number>;
  orders: OrderStats;
  bookingsCreated: { flight: number; hotel: number; charge: number };
  cancellations: { flight: number; hotel: number };
  refunds: number;
  /** Undos that found nothing under the reservation key and voided it. */
  voids: number;
  /** 4xx answers that were not injected faults (declined card, reused key, bad request). */
  refused: number;
  /** Fired faults by `endpoint:kind`. */
  faults: Record<string, number>;
}

export interface LoggedBookingRequest {
  readonly seq: number;
  readonly endpoint: SimEndpoint;
  readonly idempotencyKey: string | null;
  readonly receivedAtMs: number;
  /** null when nothing was answered (a timeout after commit, or a client that left). */
  status: number | null;
  replayed: boolean;
  fault: FaultKind | null;
}

const REQUEST_LOG_MAX = 1_000;
const perEndpoint = () => Object.fromEntries(SIM_ENDPOINT_NAMES.map((e) => [e, 0])) as Record<SimEndpoint, number>;
const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** What an orders request acted on, for the per-order and per-recipient counters. */
export interface OrderSubject {
  readonly orderId?: string;
  readonly to?: string;
  readonly amountCents?: number;
}

export class BookingLedger {
  private counters = BookingLedger.zero();
  private log: LoggedBookingRequest[] = [];
  private seq = 0;

  private static zero(): BookingStats {
    return {
      requests: 0, requestsByEndpoint: perEndpoint(), requestsByIdempotencyKey: {}, replays: 0, replaysByEndpoint: perEndpoint(),
      orders: { lookups: 0, refundsCreated: 0, refundsByOrder: {}, refundedCentsByOrder: {}, reversals: 0, reversalVoids: 0, emailsSent: 0, emailsByRecipient: {} },
      bookingsCreated: { flight: 0, hotel: 0, charge: 0 }, cancellations: { flight: 0, hotel: 0 },
      refunds: 0, voids: 0, refused: 0, faults: {},
    };
  }

  received(endpoint: SimEndpoint, idempotencyKey: string | null): LoggedBookingRequest {
    this.counters.requests++;
    this.counters.requestsByEndpoint[endpoint]++;
    if (idempotencyKey !== null) bump(this.counters.requestsByIdempotencyKey, idempotencyKey);
    const entry: LoggedBookingRequest = { seq: ++this.seq, endpoint, idempotencyKey, receivedAtMs: Date.now(), status: null, replayed: false, fault: null };
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_MAX) this.log.shift();
    return entry;
  }

  faultFired(entry: LoggedBookingRequest, kind: FaultKind): void {
    entry.fault = kind;
    const name = `${entry.endpoint}:${kind}`;
    this.counters.faults[name] = (this.counters.faults[name] ?? 0) + 1;
  }

  performed(entry: LoggedBookingRequest, outcome: PerformOutcome, subject: OrderSubject = {}): void {
    entry.replayed = outcome.replayed;
    const c = this.counters;
    if (outcome.replayed) {
      c.replays++;
      c.replaysByEndpoint[entry.endpoint]++;
      return;
    }
    if (outcome.status >= 400 && outcome.status < 500) c.refused++;
    if (this.orderPerformed(entry.endpoint, outcome, subject)) return;
    if (outcome.effect === 'created') {
      const kind = entry.endpoint === 'reserve-flight' ? 'flight' : entry.endpoint === 'reserve-hotel' ? 'hotel' : 'charge';
      c.bookingsCreated[kind]++;
    } else if (outcome.effect === 'undone') {
      if (entry.endpoint === 'refund-charge') c.refunds++;
      else c.cancellations[entry.endpoint === 'cancel-flight' ? 'flight' : 'hotel']++;
    } else if (outcome.effect === 'voided') {
      c.voids++;
    }
  }

  /** Counts an orders API action; false for the booking endpoints. */
  private orderPerformed(endpoint: SimEndpoint, outcome: PerformOutcome, subject: OrderSubject): boolean {
    const o = this.counters.orders;
    switch (endpoint) {
      case 'get-order':
        if (outcome.status === 200) o.lookups++;
        return true;
      case 'refund-order':
        if (outcome.effect === 'created' && subject.orderId) {
          o.refundsCreated++;
          bump(o.refundsByOrder, subject.orderId);
          bump(o.refundedCentsByOrder, subject.orderId, subject.amountCents ?? 0);
        }
        return true;
      case 'reverse-refund':
        if (outcome.effect === 'undone') o.reversals++;
        if (outcome.effect === 'voided') o.reversalVoids++;
        return true;
      case 'send-email':
        if (outcome.effect === 'created' && subject.to) {
          o.emailsSent++;
          bump(o.emailsByRecipient, subject.to);
        }
        return true;
      default:
        return false;
    }
  }

  answered(entry: LoggedBookingRequest, status: number): void {
    entry.status = status;
  }

  refusedBeforeBooks(): void {
    this.counters.refused++;
  }

  stats(): BookingStats {
    return structuredClone(this.counters);
  }

  requests(limit?: number): LoggedBookingRequest[] {
    const list = limit === undefined ? this.log : this.log.slice(-limit);
    return list.map((e) => ({ ...e }));
  }

  reset(): void {
    this.counters = BookingLedger.zero();
    this.log = [];
  }
}
