// The one place where the simulator's faults meet a request, for the booking and the orders API
// alike: fail at once, hang, or go slow before acting; or act, commit, and then never answer.
import type { ServerResponse } from 'node:http';
import type { FaultBook, SimEndpoint } from './faults';
import { send, sleep, waitForClose } from './http-io';
import type { OrderStore } from './order-store';
import type { BookingLedger, LoggedBookingRequest, OrderSubject } from './stats';
import type { BookingStore, PerformOutcome } from './store';

export interface RouteContext {
  readonly store: BookingStore;
  readonly orders: OrderStore;
  readonly faults: FaultBook;
  readonly ledger: BookingLedger;
  /** Aborted when the simulator closes: hung and slow requests end then. */
  readonly closing: AbortSignal;
}

export async function serveWithFaults(
  res: ServerResponse,
  ctx: RouteContext,
  endpoint: SimEndpoint,
  entry: LoggedBookingRequest,
  act: () => Promise<PerformOutcome>,
  subject?: OrderSubject,
): Promise<void> {
  const fault = ctx.faults.take(endpoint);
  if (fault?.kind === 'fail') {
    ctx.ledger.faultFired(entry, 'fail');
    const status = fault.status ?? 503;
    ctx.ledger.answered(entry, status);
    send(res, status, { error: { code: 'injected_failure', message: `the booking simulator was told to fail ${endpoint} with ${status}` } });
    return;
  }
  if (fault?.kind === 'hang') {
    // Nothing happens and nothing is answered: the caller times out before any action.
    ctx.ledger.faultFired(entry, 'hang');
    await waitForClose(res, ctx.closing);
    res.destroy();
    return;
  }
  if (fault?.kind === 'slow') {
    ctx.ledger.faultFired(entry, 'slow');
    await sleep(fault.delayMs ?? 2_000, ctx.closing);
  }

  const outcome = await act();
  ctx.ledger.performed(entry, outcome, subject);
  if (fault?.kind === 'timeout-after-commit') {
    // The action is committed; the caller never hears of it and sees a timeout.
    ctx.ledger.faultFired(entry, 'timeout-after-commit');
    await waitForClose(res, ctx.closing);
    res.destroy();
    return;
  }
  ctx.ledger.answered(entry, outcome.status);
  send(res, outcome.status, outcome.body, outcome.replayed ? { 'idempotent-replayed': 'true' } : {});
}
