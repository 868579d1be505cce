// Faults the booking simulator injects on request, per endpoint:
// - `fail`: answer an error status at once; nothing is stored (the request never reached the books).
// - `timeout-after-commit`: do the action and commit it, then never answer. The dangerous case: the
//   booking exists, the caller saw a timeout, and only the idempotency key stops its retry from
//   booking a second one.
// - `slow`: wait `delayMs`, then act and answer normally.
import { z } from 'zod';
import { ENDPOINT_NAMES, type BookingEndpoint } from './endpoints';
import { BookingSimulatorConfigError } from './errors';

export type FaultKind = 'fail' | 'timeout-after-commit' | 'slow';

export interface FaultSpec {
  readonly endpoint: BookingEndpoint | '*';
  readonly kind: FaultKind;
  /** `fail`: the status answered (503 by default; 4xx ones are refusals the caller must not retry). */
  readonly status?: number;
  /** `slow`: the delay before acting (2000 ms by default). */
  readonly delayMs?: number;
  /** How often it fires; unlimited when left out. */
  readonly times?: number;
}

const faultSchema = z.strictObject({
  endpoint: z.enum(['*', ...ENDPOINT_NAMES] as [string, ...string[]]),
  kind: z.enum(['fail', 'timeout-after-commit', 'slow']),
  status: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().positive().optional(),
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
      `${issue.message}; send {"faults":[{"endpoint":"reserve-flight","kind":"fail|timeout-after-commit|slow","status":503,"delayMs":2000,"times":1}]}`,
    );
  }
  return parsed.data as BookingSimulatorSettings;
}

export const faultName = (endpoint: BookingEndpoint, kind: FaultKind) => `${endpoint}:${kind}`;

/** The fault list in force and how often each fault has fired. */
export class FaultBook {
  private faults: { spec: FaultSpec; fired: number }[] = [];

  set(specs: readonly FaultSpec[]): void {
    this.faults = specs.map((spec) => ({ spec, fired: 0 }));
  }

  list(): { spec: FaultSpec; fired: number }[] {
    return this.faults.map((f) => ({ spec: f.spec, fired: f.fired }));
  }

  /** The first fault for this endpoint that still has firings left; counted as fired. */
  take(endpoint: BookingEndpoint): FaultSpec | undefined {
    const found = this.faults.find((f) => (f.spec.endpoint === endpoint || f.spec.endpoint === '*') && (f.spec.times === undefined || f.fired < f.spec.times));
    if (!found) return undefined;
    found.fired++;
    return found.spec;
  }
}
