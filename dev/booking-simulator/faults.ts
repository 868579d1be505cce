// Faults the booking simulator injects on request, per endpoint:
// - `fail`: answer an error status at once; nothing is stored (the request never reached the books).
// - `timeout-after-commit`: do the action and commit it, then never answer. The dangerous case: the
//   booking exists, the caller saw a timeout, and only the idempotency key stops its retry from
//   booking a second one.
// - `slow`: wait `delayMs`, then act and answer normally.
// - `hang`: never answer and do nothing (a timeout before the action).
// `after: N` lets the first N matching requests through before the fault fires (a failure after N refunds).
import { z } from 'zod';
import { ENDPOINT_NAMES, type BookingEndpoint } from './endpoints';
import { ORDER_ENDPOINT_NAMES, type OrderEndpoint } from './order-endpoints';

/** Every endpoint a fault can aim at: the booking API's and the orders API's. */
export type SimEndpoint = BookingEndpoint | OrderEndpoint;
export const SIM_ENDPOINT_NAMES: readonly SimEndpoint[] = [...ENDPOINT_NAMES, ...ORDER_ENDPOINT_NAMES];
import { BookingSimulatorConfigError } from './errors';

export type FaultKind = 'fail' | 'timeout-after-commit' | 'slow' | 'hang';

export interface FaultSpec {
  readonly endpoint: SimEndpoint | '*';
  readonly kind: FaultKind;
  /** `fail`: the status answered (503 by default; 4xx ones are refusals the caller must not retry). */
  readonly status?: number;
  /** `slow`: the delay before acting (2000 ms by default). */
  readonly delayMs?: number;
  /** How often it fires; unlimited when left out. */
  readonly times?: number;
  /** How many matching requests pass untouched before it fires; 0 by default. */
  readonly after?: number;
}

const faultSchema = z.strictObject({
  endpoint: z.enum(['*', ...SIM_ENDPOINT_NAMES] as [string, ...string[]]),
  kind: z.enum(['fail', 'timeout-after-commit', 'slow', 'hang']),
  status: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().positive().optional(),
  after: z.number().int().min(0).optional(),
});

export interface BookingSimulatorSettings {
  /** Replaces the fault list; every fault's count starts at zero. */
  readonly faults?: readonly FaultSpec[];
}

export function checkSettings(raw: unknown): BookingSimulatorSettings {
  const parsed = z.strictObject({ faults: z.array(faultSchema).optional() }).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BookingSimulatorConfigError(
      issue.path.join('.') || '(settings)',
      raw,
      `${issue.message}; send {"faults":[{"endpoint":"reserve-flight","kind":"fail|timeout-after-commit|slow|hang","status":503,"delayMs":2000,"times":1,"after":0}]}`,
    );
  }
  return parsed.data as BookingSimulatorSettings;
}

export const faultName = (endpoint: SimEndpoint, kind: FaultKind) => `${endpoint}:${kind}`;

/** The fault list in force and how often each fault has fired. */
export class FaultBook {
  private faults: { spec: FaultSpec; fired: number; passed: number }[] = [];

  set(specs: readonly FaultSpec[]): void {
    this.faults = specs.map((spec) => ({ spec, fired: 0, passed: 0 }));
  }

  list(): { spec: FaultSpec; fired: number }[] {
    return this.faults.map((f) => ({ spec: f.spec, fired: f.fired }));
  }

  /** The first fault for this endpoint that still has firings left; counted as fired. */
  take(endpoint: SimEndpoint): FaultSpec | undefined {
    let chosen: { spec: FaultSpec; fired: number; passed: number } | undefined;
    for (const f of this.faults) {
      if ((f.spec.endpoint !== endpoint && f.spec.endpoint !== '*') || (f.spec.times !== undefined && f.fired >= f.spec.times)) continue;
      // A fault still waiting out its `after` lets this request through and counts it.
      if (f.passed < (f.spec.after ?? 0)) f.passed++;
      else chosen ??= f;
    }
    if (!chosen) return undefined;
    chosen.fired++;
    return chosen.spec;
  }
}
