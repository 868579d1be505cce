// Token-aware rate limiter shared by every worker process through PostgreSQL.
// Why PostgreSQL: the workers already write their effects there, it has transactions and advisory
// locks (one short critical section per call), and its clock is the one clock all workers share.
// Temporal would record every reservation in history and is not a counter store.
//
// A sliding window (not a fixed one, which lets 2x the limit through across a boundary): a call
// reserves its estimated prompt tokens plus the maximum completion before it is made, and settles to
// the provider's reported usage afterwards. A 429's Retry-After pauses the whole key.
//
// A call counts from its reservation until one window after it settled (its answer came back), and
// for as long as it is in flight. The provider sees the request somewhere in between, however long
// the worker, the network or a busy event loop delayed it, so no window of arrival times at the
// provider can hold more than the limit. A call whose worker died before settling stops counting
// after staleAfterMs (the request timeout).
import type { Saturation } from '../../../core/pause-verdict';
import type { Pool } from 'pg';
import { TokenBudgetError } from '../../../errors';

export interface LimiterLimits {
  /** How long an unsettled call (its worker may have died) keeps counting. */
  readonly staleAfterMs?: number;
  /** 0 = no token limit. */
  readonly tokensPerWindow: number;
  /** 0 = no request limit. */
  readonly requestsPerWindow: number;
  readonly windowMs: number;
}

export type Reservation = { granted: true; id: string | undefined } | { granted: false; waitMs: number; reason: string };

const DEFAULT_STALE_AFTER_MS = 120_000;

/** A caller the limiter turned away asks again within this long (the gateway's wait loop). */
export const LIMITER_RECHECK_MS = 1_000;

/** How long the ledger keeps a call's row at least (older rows are pruned now and then); `kta status` reads it. */
export const usageLedgerKeepsMs = (limits: LimiterLimits): number => 2 * (limits.windowMs + (limits.staleAfterMs ?? DEFAULT_STALE_AFTER_MS));

/** The Retry-After pause of key $1 still in force, with the milliseconds left. */
const PAUSE_IN_FORCE = `SELECT ceil(extract(epoch FROM (until - clock_timestamp())) * 1000) AS wait_ms FROM llm_pause WHERE limiter_key = $1 AND until > clock_timestamp()`;

const retryAfterRefusal = (waitMs: string): Reservation => ({ granted: false, waitMs: Math.max(1, Number(waitMs)), reason: 'the provider asked to wait (Retry-After)' });

/** One limiter key per provider and model: every worker and the bridge derive it the same way. */
export const limiterKeyFor = (provider: string, model: string): string => `${provider}:${model}`;

/** The calls that count against the window now ($1 key, $2 window ms, $3 stale-after ms), with the time each stops counting. */
const COUNTING_CALLS = `(SELECT tokens, counts_until
     FROM (SELECT tokens, COALESCE(settled_at, at + make_interval(secs => $3::float8 / 1000)) + make_interval(secs => $2::float8 / 1000) AS counts_until
             FROM llm_usage
            WHERE limiter_key = $1 AND at > clock_timestamp() - make_interval(secs => ($2::float8 + $3::float8) / 1000)) u
    WHERE counts_until > clock_timestamp()) c`;


export class TokenLimiter {
  constructor(
    private readonly pool: Pool,
    readonly limits: LimiterLimits,
  ) {}

  /** Whether token or request limits are configured (a Retry-After pause applies either way). */
  get enabled(): boolean {
    return this.limits.tokensPerWindow > 0 || this.limits.requestsPerWindow > 0;
  }

  async reserve(key: string, tokens: number): Promise<Reservation> {
    const { tokensPerWindow: tpw, requestsPerWindow: rpw } = this.limits;
    if (tpw > 0 && tokens > tpw) throw new TokenBudgetError(key, tokens, tpw);
    const { windowMs } = this.limits;
    const staleAfterMs = this.limits.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    if (!this.enabled) {
      // No limits configured: only a provider's Retry-After holds calls back, and reading it needs no
      // lock (nothing is reserved), so calls do not queue behind one another here.
      const pause = await this.pool.query<{ wait_ms: string }>(PAUSE_IN_FORCE, [key]);
      return pause.rows.length ? retryAfterRefusal(pause.rows[0].wait_ms) : { granted: true, id: undefined };
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`llm-limiter:${key}`]);
      const pause = await client.query<{ wait_ms: string }>(PAUSE_IN_FORCE, [key]);
      if (pause.rows.length) {
        await client.query('COMMIT');
        return retryAfterRefusal(pause.rows[0].wait_ms);
      }
      const used = await client.query<{ tokens: number; ends_in_ms: string }>(
        `SELECT tokens, ceil(extract(epoch FROM (counts_until - clock_timestamp())) * 1000) AS ends_in_ms
           FROM ${COUNTING_CALLS} ORDER BY counts_until`,
        [key, windowMs, staleAfterMs],
      );
      const usedTokens = used.rows.reduce((sum, r) => sum + r.tokens, 0);
      const usedRequests = used.rows.length;
      const fits = (tokensFree: number, requestsFree: number) =>
        (tpw === 0 || usedTokens - tokensFree + tokens <= tpw) && (rpw === 0 || usedRequests - requestsFree + 1 <= rpw);
      if (fits(0, 0)) {
        const inserted = await client.query<{ id: string }>(
          'INSERT INTO llm_usage (limiter_key, tokens) VALUES ($1, $2) RETURNING id',
          [key, tokens],
        );
        if (Math.random() < 0.02) {
          await client.query('DELETE FROM llm_usage WHERE at < clock_timestamp() - make_interval(secs => $1::float8 / 1000)', [usageLedgerKeepsMs(this.limits)]);
        }
        await client.query('COMMIT');
        return { granted: true, id: inserted.rows[0].id };
      }
      // Wait until enough of the oldest calls leave the window.
      let freedTokens = 0;
      let waitMs = this.limits.windowMs;
      for (let i = 0; i < used.rows.length; i++) {
        freedTokens += used.rows[i].tokens;
        if (fits(freedTokens, i + 1)) {
          waitMs = Math.max(1, Number(used.rows[i].ends_in_ms));
          break;
        }
      }
      // This call waits for room until at least then, whether its caller re-asks every LIMITER_RECHECK_MS
      // or its activity fails and Temporal retries it later: calls are waiting for this key until then.
      await client.query(
        `INSERT INTO llm_waiting (limiter_key, until) VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
         ON CONFLICT (limiter_key) DO UPDATE SET until = GREATEST(llm_waiting.until, EXCLUDED.until)`,
        [key, waitMs + LIMITER_RECHECK_MS / 2],
      );
      await client.query('COMMIT');
      return { granted: false, waitMs, reason: `window full (${usedTokens} tokens, ${usedRequests} requests in flight of ${tpw || '∞'} / ${rpw || '∞'})` };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** A read-only look at the key: no lock, no reservation. */
  async saturation(key: string): Promise<Saturation> {
    const { tokensPerWindow: tpw, requestsPerWindow: rpw, windowMs } = this.limits;
    const { rows } = await this.pool.query<{ retry_after_ms: string | null; waiting: boolean; used_tokens: string; used_requests: string }>(
      `SELECT (SELECT ceil(extract(epoch FROM (until - clock_timestamp())) * 1000) FROM llm_pause WHERE limiter_key = $1 AND until > clock_timestamp()) AS retry_after_ms,
              EXISTS (SELECT 1 FROM llm_waiting WHERE limiter_key = $1 AND until > clock_timestamp()) AS waiting,
              u.used_tokens, u.used_requests
         FROM (SELECT COALESCE(sum(tokens), 0) AS used_tokens, count(*) AS used_requests FROM ${COUNTING_CALLS}) u`,
      [key, windowMs, this.limits.staleAfterMs ?? DEFAULT_STALE_AFTER_MS],
    );
    const r = rows[0];
    const usedTokens = Number(r.used_tokens);
    const usedRequests = Number(r.used_requests);
    const retryAfterMs = r.retry_after_ms === null ? 0 : Math.max(1, Number(r.retry_after_ms));
    const callsWaiting = this.enabled && r.waiting;
    const fraction = Math.max(tpw > 0 ? usedTokens / tpw : 0, rpw > 0 ? usedRequests / rpw : 0);
    return { key, retryAfterMs, callsWaiting, usedTokens, usedRequests, fraction, saturated: retryAfterMs > 0 || callsWaiting };
  }

  /** Replaces the reservation's estimate by the provider's reported usage; the call counts for one more window. */
  async settle(id: string, tokens: number): Promise<void> {
    await this.pool.query('UPDATE llm_usage SET tokens = $2, settled_at = clock_timestamp() WHERE id = $1', [id, tokens]);
  }

  /** Pauses every call to `key` until now + waitMs (a provider's Retry-After). */
  async pause(key: string, waitMs: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO llm_pause (limiter_key, until) VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (limiter_key) DO UPDATE SET until = GREATEST(llm_pause.until, EXCLUDED.until)`,
      [key, waitMs],
    );
  }
}

export type { Saturation };
