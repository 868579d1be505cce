// The booking simulator's counters and request log: everything a test asserts on besides the books
// themselves (requests per endpoint, replays, what was created and undone, which faults fired).
import { ENDPOINT_NAMES, type BookingEndpoint } from './endpoints';
import type { FaultKind } from './faults';
import type { PerformOutcome } from './store';

export interface BookingStats {
  requests: number;
  requestsByEndpoint: Record<BookingEndpoint, number>;
  /** Requests answered from the response recorded under their Idempotency-Key. */
  replays: number;
  replaysByEndpoint: Record<BookingEndpoint, number>;
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
  readonly endpoint: BookingEndpoint;
  readonly idempotencyKey: string | null;
  readonly receivedAtMs: number;
  /** null when nothing was answered (a timeout after commit, or a client that left). */
  status: number | null;
  replayed: boolean;
  fault: FaultKind | null;
}

const REQUEST_LOG_MAX = 1_000;
const perEndpoint = () => Object.fromEntries(ENDPOINT_NAMES.map((e) => [e, 0])) as Record<BookingEndpoint, number>;

export class BookingLedger {
  private counters = BookingLedger.zero();
  private log: LoggedBookingRequest[] = [];
  private seq = 0;

  private static zero(): BookingStats {
    return {
      requests: 0, requestsByEndpoint: perEndpoint(), replays: 0, replaysByEndpoint: perEndpoint(),
      bookingsCreated: { flight: 0, hotel: 0, charge: 0 }, cancellations: { flight: 0, hotel: 0 },
      refunds: 0, voids: 0, refused: 0, faults: {},
    };
  }

  received(endpoint: BookingEndpoint, idempotencyKey: string | null): LoggedBookingRequest {
    this.counters.requests++;
    this.counters.requestsByEndpoint[endpoint]++;
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

  performed(entry: LoggedBookingRequest, outcome: PerformOutcome): void {
    entry.replayed = outcome.replayed;
    const c = this.counters;
    if (outcome.replayed) {
      c.replays++;
      c.replaysByEndpoint[entry.endpoint]++;
      return;
    }
    if (outcome.status >= 400 && outcome.status < 500) c.refused++;
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
