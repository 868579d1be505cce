// A second clock for start throughput: the Temporal server's own start times of a topic's runs, from
// visibility. It is the same for the bridge and the baseline (no polling delay, no client clock),
// so it cross-checks the first-to-last rate each side measured itself.
import type { Client } from '@temporalio/client';
import { mustReach } from './poll-until';

const VISIBILITY_CATCH_UP_MS = 60_000;
const LIST_PAGE_SIZE = 1_000;

export async function serverStartSpanMs(client: Client, topic: string, expected: number): Promise<{ runs: number; spanMs: number }> {
  const query = `KafkaTopic = "${topic}"`;
  // Visibility lags the starts a little; wait for every run to be listed.
  await mustReach(async () => (await client.workflow.count(query)).count, (n) => n >= expected, VISIBILITY_CATCH_UP_MS, `${expected} runs of ${topic} in visibility`);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let runs = 0;
  for await (const wf of client.workflow.list({ query, pageSize: LIST_PAGE_SIZE })) {
    const at = wf.startTime.getTime();
    first = Math.min(first, at);
    last = Math.max(last, at);
    runs += 1;
  }
  return { runs, spanMs: last - first };
}
