// A long, hostile review must not make the model be asked twice. Estimating a prompt's tokens once
// took seconds to minutes for text like 40,000 `[` (the tokenizer's merge is quadratic in a piece's
// length), on the worker's event loop: every call in flight on that worker missed its heartbeat, timed
// out and was asked again. The estimate is now linear, yields, and does not run without a limit.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { promptHash } from '../dev/llm-simulator/prompt-hash';
import type { Review } from '../agents/review-tagger/record';
import { reviewTagsPrompt } from '../agents/review-tagger/prompts';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const ADVERSARIAL_CHARS = 40_000;
const NORMAL_RECORDS = 6;

async function runLongReviewAmongOthers(name: string, workerEnv: Record<string, string>): Promise<Scenario> {
  // Model calls take a while, so the normal records' calls are in flight while the long one is estimated.
  const s = await createScenario(name, { simulatorLatencyMs: 1_500 });
  scenarios.push(s);
  const long: Review = { reviewId: `${s.topic}-long`, text: '['.repeat(ADVERSARIAL_CHARS), rating: 2 };
  const normal: Review[] = Array.from({ length: NORMAL_RECORDS }, (_, i) => ({ reviewId: `${s.topic}-n${i}`, text: `Review ${i}: the strap broke after a week.`, rating: 3 }));
  const records = [...normal.slice(0, 3), long, ...normal.slice(3)];
  await s.kafka.produce(s.topic, records.map((r) => ({ key: r.reviewId, value: JSON.stringify(r) })));
  s.startWorker(workerEnv);
  await s.startBridge();

  await waitFor(
    async () => (await s.runs()).map((r) => r.status.name),
    (st) => st.length === records.length && st.every((x) => x === 'COMPLETED'),
    { timeoutMs: 60_000, message: `all ${records.length} runs of ${s.topic} completed` },
  );
  const stats = s.simulator.stats();
  const callsPerPrompt = records.map((r) => stats.byPromptHash[promptHash(reviewTagsPrompt(r))]?.calls ?? 0);
  assert.deepEqual(callsPerPrompt, records.map(() => 1), 'every prompt, the long one included, reached the model exactly once');
  assert.equal(stats.calls, records.length, 'no other call reached the model');
  assert.equal((await s.indexRows()).length, records.length, 'every review is indexed');
  return s;
}

test('a 40,000-character review of brackets among normal ones is asked once each when no token limit is configured', { timeout: 120_000 }, async () => {
  await runLongReviewAmongOthers('long-nolimit', {});
});

test('a 40,000-character review of brackets among normal ones is asked once each under a token limiter', { timeout: 120_000 }, async () => {
  const startedAt = new Date();
  const s = await runLongReviewAmongOthers('long-limit', { LLM_TOKENS_PER_WINDOW: '1000000', LLM_REQUESTS_PER_WINDOW: '1000', LLM_WINDOW_MS: '60000' });
  // The limiter really ran: the long call reserved (and settled) its tokens in the shared ledger.
  const { rows } = await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM llm_usage WHERE at >= $1 AND tokens >= $2', [startedAt, ADVERSARIAL_CHARS / 4]);
  assert.ok(Number(rows[0].n) >= 1, 'the long call went through the token limiter');
});
