// Sagas: an irreversible step registers its compensation BEFORE it runs (a step that timed out may
// still have happened, so its undo must be known either way). On failure the registered compensations
// run in reverse order, each idempotent under its own key and retried until done; the run's
// AgentStatus goes Compensating -> Compensated, its summary lists what was undone, and the original
// error is rethrown so the run fails with it.
import { CancellationScope, log, proxyActivities, setCurrentDetails, upsertSearchAttributes, type ActivityInterfaceFor } from '@temporalio/workflow';
import { effect, effectKey } from './effect';
import { AGENT_STATUS, AgentStatus } from './search-attributes';

export interface CompensationOutcome {
  readonly description: string;
  readonly ok: boolean;
  readonly error?: string;
}

interface Compensation {
  readonly description: string;
  readonly run: () => Promise<unknown>;
}

/**
 * Compensations are retried until they succeed: unlimited attempts with backoff. An undo that gives
 * up leaves a customer with a flight they did not want, so it keeps trying and shows in the UI as a
 * pending activity with its last failure.
 */
export function proxyCompensations<A extends object>(startToCloseTimeoutMs: number, summary?: string): ActivityInterfaceFor<A> {
  return proxyActivities<A>({
    startToCloseTimeout: startToCloseTimeoutMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
    summary,
  });
}

export interface IrreversibleStep<T> {
  /** The action's step name; its key `workflowId/step` is known to the undo before the action runs. */
  readonly step: string;
  readonly action: (idempotencyKey: string) => Promise<T>;
  /** The undo's own step name (its own key, so a retried undo is done once too). */
  readonly undoStep: string;
  /** What the undo does, for the run's summary: `cancel flight CDG->JFK on 2026-05-01`. */
  readonly undo: string;
  readonly compensate: (idempotencyKey: string, actionKey: string) => Promise<unknown>;
}

export class Saga {
  private readonly compensations: Compensation[] = [];

  /**
   * Registers `compensate` (described as `undo`), then runs `action`. The compensation stays
   * registered when the action fails, because a failed call may still have acted; compensations
   * must therefore cope with "nothing to undo".
   */
  /**
   * Registers a compensation without an action: one an earlier run of this workflow registered before
   * it continued as new (the agent loop carries its undos across the boundary).
   */
  register(undo: string, compensate: () => Promise<unknown>): void {
    this.compensations.push({ description: undo, run: compensate });
  }

  async step<T>(undo: string, compensate: () => Promise<unknown>, action: () => Promise<T>): Promise<T> {
    this.compensations.push({ description: undo, run: compensate });
    return action();
  }

  /**
   * An irreversible action with an idempotency key, and its undo with another: the undo is registered
   * with the action's key first, so it can undo (or void) the action whatever its call returned.
   */
  async effect<T>(spec: IrreversibleStep<T>): Promise<T> {
    const actionKey = effectKey(spec.step);
    return this.step(spec.undo, () => effect(spec.undoStep, (key) => spec.compensate(key, actionKey)), () => effect(spec.step, spec.action));
  }

  get registered(): readonly string[] {
    return this.compensations.map((c) => c.description);
  }

  /** Runs the compensations in reverse order of registration, one at a time, each once. */
  async compensate(): Promise<CompensationOutcome[]> {
    const outcomes: CompensationOutcome[] = [];
    for (const c of [...this.compensations].reverse()) {
      try {
        const result = await c.run();
        outcomes.push({ description: `${c.description}${describeResult(result)}`, ok: true });
      } catch (err) {
        // Only a non-retryable failure gets here; the other compensations still run.
        log.error('compensation failed for good', { compensation: c.description, error: (err as Error).message });
        outcomes.push({ description: c.description, ok: false, error: (err as Error).message });
      }
      setCurrentDetails(progress('Compensating', outcomes));
    }
    this.compensations.length = 0;
    return outcomes;
  }
}

/** `: cancelled fl_123` when an undo answers with a status (and what it undid). */
function describeResult(result: unknown): string {
  const r = result as { status?: unknown; bookingId?: unknown } | null | undefined;
  if (!r || typeof r.status !== 'string') return '';
  return `: ${r.status}${typeof r.bookingId === 'string' ? ` ${r.bookingId}` : ''}`;
}

const setStatus = (status: AgentStatus) => upsertSearchAttributes([{ key: AGENT_STATUS, value: status }]);

const progress = (title: string, outcomes: CompensationOutcome[]) =>
  `${title}. Undone, in order: ${outcomes.map((o) => (o.ok ? o.description : `${o.description} (FAILED: ${o.error})`)).join('; ') || 'nothing'}`;

/**
 * Runs `body` with a saga. On failure (or cancellation of the run) the compensations run in a
 * non-cancellable scope, then the original error is rethrown.
 */
export async function runSaga<T>(name: string, body: (saga: Saga) => Promise<T>): Promise<T> {
  const saga = new Saga();
  try {
    return await body(saga);
  } catch (err) {
    const reason = (err as Error).message;
    setStatus(AgentStatus.Compensating);
    setCurrentDetails(`${name} failed (${reason}); compensating: ${[...saga.registered].reverse().join(', ')}`);
    const outcomes = await CancellationScope.nonCancellable(() => saga.compensate());
    const allUndone = outcomes.every((o) => o.ok);
    setStatus(allUndone ? AgentStatus.Compensated : AgentStatus.Failed);
    setCurrentDetails(`${name} failed (${reason}). ${progress(allUndone ? 'Compensated' : 'Compensation incomplete', outcomes)}`);
    throw err;
  }
}
