// Part of the template `kta new agent` writes (ops/new-agent.ts).
import type { AgentNames } from './names';

/** The agent's end-to-end and replay tests, and where its recorded histories go. */
export function agentTestFiles(n: AgentNames): Record<string, string> {
  const table = `${n.snake}_results`;
  return {
    [`${n.folder}.test.ts`]: `// ${n.workflowType} end to end on the real stack (Kafka, Temporal, PostgreSQL, the LLM simulator), and a
// replay of its own runs through today's workflow code. \`npm test\` runs it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { createScenario, type Scenario } from '../../test/helpers/scenario';
import { saveFirstHistory } from '../../test/helpers/history';
import { waitFor } from '../../test/helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const RECORDS = 4;

test('${n.workflowType} stores one result per record, asks the model once per record, and a redelivery changes nothing', { timeout: 240_000 }, async () => {
  const s = await createScenario('${n.folder}', { workflowType: '${n.workflowType}' });
  scenarios.push(s);
  const records = Array.from({ length: RECORDS }, (_, i) => ({ id: \`\${s.topic}-\${i}\`, text: \`Ticket \${i}: the printer jams on every second page.\` }));
  await s.kafka.produce(s.topic, records.map((r) => ({ key: r.id, value: JSON.stringify(r) })));
  s.startWorker();
  const bridge = await s.startBridge();
  await s.waitForCompletedRuns(RECORDS);
  assert.equal(s.simulator.stats().calls, RECORDS, 'the model was asked once per record');
  const rows = async () => (await s.pool.query<{ id: string; writes: number }>('SELECT id, writes FROM ${table} WHERE id LIKE $1 ORDER BY id', [\`\${s.topic}-%\`])).rows;
  assert.deepEqual((await rows()).map((r) => [r.id, r.writes]), records.map((r) => [r.id, 1]), 'one row per record, written once');

  // Redeliver everything: the workflow IDs (topic-partition-offset) absorb it.
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === RECORDS, { message: 'the bridge committed every offset' });
  assert.deepEqual(await bridge.stop('SIGTERM'), { code: 0, signal: null });
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  const again = await s.startBridge();
  await waitFor(() => again.stats(), (st) => st.duplicates === RECORDS, { message: \`\${RECORDS} duplicates counted after the reset\` });
  assert.equal((await s.runs()).length, RECORDS, 'no second run');
  assert.equal(s.simulator.stats().calls, RECORDS, 'the model was not asked again');
  assert.deepEqual((await rows()).map((r) => r.writes), records.map(() => 1), 'no row written twice');
});

test('${n.workflowType} runs replay through today\\'s workflow code', { timeout: 120_000 }, async () => {
  const s = scenarios[0];
  assert.ok(s, 'the end-to-end test ran first');
  const client = await s.client();
  const runs = await s.runs();
  for (const run of runs) {
    const history = await client.workflow.getHandle(run.workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: s.stack.workflowBundlePath } }, history, run.workflowId);
  }
  // The agent's first recorded history, for the registry's replay suite; commit it (see histories/README.md).
  await saveFirstHistory(new URL('./histories/', import.meta.url), client, runs[0].workflowId);
});
`,
    'histories/README.md': `# Recorded histories of ${n.workflowType}

The replay suite (test/replay.test.ts) replays every \`*.json\` here through today's workflow code,
so a change that would break runs in flight fails CI. The agent's own test writes \`first-run.json\`
from a real run when this folder has no history yet: commit it. Record more with
\`npx kta replay --workflow-id <id> --save agents/${n.folder}/histories\`. A change that breaks a replay
must be versioned (\`patched()\`), not re-recorded.
`,
  };
}
