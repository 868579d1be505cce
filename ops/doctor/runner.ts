// Runs the doctor's checks: each under its own timeout, in parallel where they do not depend on each
// other, so a dead service is one clear fail line after the timeout instead of a hang. A check whose
// prerequisite failed is not run: it is reported as failed, saying which one to fix first.
import type { Client, Connection } from '@temporalio/client';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import type { Config } from '../../config';
import type { CheckResult } from './report';

/** What the checks share: the configuration and the connections the earlier checks opened. */
export interface DoctorContext {
  readonly timeoutMs: number;
  config?: Config;
  temporal?: { readonly connection: Connection; readonly client: Client };
  kafka?: { readonly admin: Admin; readonly topics: ReadonlySet<string> };
  pool?: Pool;
}

export type CheckOutcome = Omit<CheckResult, 'name'>;

export interface DoctorCheck {
  readonly name: string;
  /** Checks that must not have failed before this one runs (every check but `config` needs `config`). */
  readonly needs: readonly string[] | ((config: Config) => readonly string[]);
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}

export const CONFIG_CHECK = 'config';

/** Reads a connection a prerequisite opened; the runner guarantees it, so a miss is a wiring bug. */
export function opened<K extends 'config' | 'temporal' | 'kafka' | 'pool'>(ctx: DoctorContext, key: K): NonNullable<DoctorContext[K]> {
  const value = ctx[key];
  if (value === undefined) throw new Error(`doctor check ran without ${key}: add the check that opens it to its needs`);
  return value as NonNullable<DoctorContext[K]>;
}

/** A refused handshake or refused credentials as a failed check: what failed, and the variables to fix. */
export function securityFailure(err: Error & { problem: string; fix: string; variables: readonly string[] }): CheckOutcome {
  return { status: 'fail', message: err.message.slice(0, err.message.length - err.fix.length - 2), fix: err.fix, details: { variables: [...err.variables] } };
}

/** A client's own timeout, shorter than the check's so its error (refused, unknown host) is what shows. */
export const clientTimeoutMs = (ctx: DoctorContext): number => Math.max(500, Math.floor(ctx.timeoutMs * 0.8));

async function withTimeout(check: DoctorCheck, ctx: DoctorContext): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve({
      status: 'fail',
      message: `no answer within ${ctx.timeoutMs} ms`,
      fix: 'check that the service is running and reachable from this host; on a slow link raise --timeout',
      details: { timeoutMs: ctx.timeoutMs },
    }), ctx.timeoutMs);
  });
  const attempt = check.run(ctx).catch((err: unknown): CheckOutcome => ({
    status: 'fail',
    message: `unexpected error: ${(err as Error).message}`,
    fix: `the error names what the ${check.name} check could not read; check that service and its permissions`,
  }));
  try {
    return { name: check.name, ...(await Promise.race([attempt, timedOut])) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check once its prerequisites are done; results come back in the order given. */
export async function runChecks(checks: readonly DoctorCheck[], ctx: DoctorContext): Promise<CheckResult[]> {
  const results = new Map<string, Promise<CheckResult>>();
  const start = async (check: DoctorCheck): Promise<CheckResult> => {
    await Promise.resolve(); // every check is registered before any looks up its prerequisites
    const prerequisites = async (names: readonly string[]): Promise<string | undefined> => {
      for (const name of names) {
        const dep = results.get(name);
        if (dep === undefined) throw new Error(`doctor check ${check.name} needs ${name}, which is not a check`);
        if ((await dep).status === 'fail') return name;
      }
      return undefined;
    };
    const failed = check.name === CONFIG_CHECK
      ? undefined
      : ((await prerequisites([CONFIG_CHECK])) ?? (await prerequisites(typeof check.needs === 'function' ? check.needs(opened(ctx, 'config')) : check.needs)));
    return failed ? skipped(check.name, failed) : withTimeout(check, ctx);
  };
  for (const check of checks) results.set(check.name, start(check));
  return Promise.all(checks.map((c) => results.get(c.name)!));
}

const skipped = (name: string, needed: string): CheckResult => ({
  name,
  status: 'fail',
  message: `skipped: needs ${needed}, which failed`,
  fix: `fix ${needed} first`,
  details: { skipped: true, needs: needed },
});
