// Records the history of one finished tagReview run into test/histories/tag-review.json, for the replay
// test. Run against a live stack after a demo: `npx tsx test/histories/record-tag-review.ts <workflowId>`
// with TEMPORAL_ADDRESS set. Re-record only when a workflow change is meant to be incompatible (and
// then version the workflow instead, so runs in flight keep replaying).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { loadConfig } from '../../config';

const workflowId = process.argv[2];
if (!workflowId) throw new Error('usage: record-tag-review.ts <workflowId of a completed tagReview run>');
const config = loadConfig();
const connection = await Connection.connect({ address: config.temporal.address });
try {
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const out = fileURLToPath(new URL('./tag-review.json', import.meta.url));
  writeFileSync(out, historyToJSON(history));
  console.log(`wrote ${history.events?.length ?? 0} events of ${workflowId} to ${out}`);
} finally {
  await connection.close();
}
