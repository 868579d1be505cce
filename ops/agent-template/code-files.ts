// Part of the template `kta new agent` writes (ops/new-agent.ts).
import type { AgentNames } from './names';

/** The agent's code: the workflow, its upsert activity and its definition for the registry. */
export function agentCodeFiles(n: AgentNames): Record<string, string> {
  const table = `${n.snake}_results`;
  const activity = `upsert${n.pascal}Result`;
  return {
    'workflow.ts': `// ${n.workflowType}: record -> model answer (recorded in history) -> upsert by the record's ID. A replay,
// a worker restart or a redelivered record never asks the model again for a step that completed.
// Deterministic code only: no Node built-ins, no I/O, no environment (the lint and layering checks say so).
import { ApplicationFailure, proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { FailureType } from '../../core/failure-types';
import { formatCoordinates } from '../../core/kafka-record';
import { printable } from '../../core/printable';
import type { AgentInput } from '../../core/run-input';
import { askModel, failureMessage, failureType } from '../../workflows/ask-model';
import { deadLetterRun } from '../../workflows/dead-letter-run';
import { AGENT_STATUS, AgentStatus } from '../../workflows/search-attributes';
import type { ${n.pascal}Activities } from './activities';
import { ${n.workflowType}Prompt } from './prompts';
import type { ${n.pascal}Record } from './record';

export interface ${n.pascal}Result {
  readonly id: string;
  readonly summary: string;
  readonly labels: string[];
  readonly model: string;
}

const setStatus = (status: AgentStatus) => upsertSearchAttributes([{ key: AGENT_STATUS, value: status }]);

function needsReview(what: string, err: unknown): ApplicationFailure {
  setStatus(AgentStatus.NeedsReview);
  return ApplicationFailure.create({ type: FailureType.NeedsReview, message: \`\${what}; needs a human review: \${failureMessage(err)}\`, nonRetryable: true, cause: err as Error });
}

export async function ${n.workflowType}(input: AgentInput<${n.pascal}Record>): Promise<${n.pascal}Result> {
  try {
    return await steps(input);
  } catch (err) {
    // A run that fails for good becomes a dead letter classified by why (HUMAN_REVIEW, REPROCESS...).
    throw await deadLetterRun(input, err);
  }
}

async function steps(input: AgentInput<${n.pascal}Record>): Promise<${n.pascal}Result> {
  const { workflowId } = workflowInfo();
  const { value: record, source, settings } = input;
  const id = printable(record.id);
  setCurrentDetails(\`${n.workflowType} of \${id} from \${formatCoordinates(source)}\`);
  let answer;
  try {
    answer = await askModel('${n.snake}', ${n.workflowType}Prompt(record), settings, \`Ask the model about \${id}\`);
  } catch (err) {
    if (failureType(err) === FailureType.InvalidToolArguments) throw needsReview(\`\${id}: the model called the tool with invalid arguments\`, err);
    setStatus(AgentStatus.Failed);
    throw err;
  }
  const store = proxyActivities<${n.pascal}Activities>({
    startToCloseTimeout: settings.effectTimeoutMs,
    retry: { initialInterval: '1s', maximumInterval: '30s' },
    summary: \`Upsert the result of \${id}\`,
  });
  try {
    // The idempotency key names the run and the step: a retried or replayed upsert writes the same row.
    await store.${activity}({ idempotencyKey: \`\${workflowId}/upsert\`, id: record.id, summary: answer.value.summary, labels: answer.value.labels, model: answer.model });
  } catch (err) {
    if (failureType(err) === FailureType.SinkData) throw needsReview(\`\${id}: the table cannot store it\`, err);
    setStatus(AgentStatus.Failed);
    throw err;
  }
  setStatus(AgentStatus.Completed);
  return { id: record.id, summary: answer.value.summary, labels: answer.value.labels, model: answer.model };
}
`,
    'activities.ts': `// ${n.workflowType}'s activities: the upsert by the record's ID. The model call goes through the shared
// gateway (callModel). createActivities(deps) injects the clients, so tests can swap them.
import type { Pool } from 'pg';
import { failForGoodOnDataError, sinkWrite } from '../../activities/sinks/sink-write';

export interface ${n.pascal}Row {
  readonly idempotencyKey: string;
  readonly id: string;
  readonly summary: string;
  readonly labels: string[];
  readonly model: string;
}

export function create${n.pascal}Activities({ pool }: { pool: Pool }) {
  return {
    /** Upsert, not append: a retried, replayed or redelivered write leaves one row per ID. */
    async ${activity}(row: ${n.pascal}Row): Promise<{ writes: number }> {
      return failForGoodOnDataError(() =>
        sinkWrite('${table}', row.id, { id: row.id, summary: row.summary, labels: row.labels }, async () => {
          const result = await pool.query<{ writes: number }>(
            \`INSERT INTO ${table} (id, summary, labels, model, idempotency_key) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET summary = EXCLUDED.summary, labels = EXCLUDED.labels, model = EXCLUDED.model,
               idempotency_key = EXCLUDED.idempotency_key, writes = ${table}.writes + 1, updated_at = now()
             RETURNING writes\`,
            [row.id, row.summary, JSON.stringify(row.labels), row.model, row.idempotencyKey],
          );
          return { writes: result.rows[0].writes };
        }),
      );
    },
  };
}

export type ${n.pascal}Activities = ReturnType<typeof create${n.pascal}Activities>;
`,
    'agent.ts': `// ${n.workflowType}: one definition, listed once in agents/registry.ts. The bridge, gateway, worker,
// workflow bundle, shadow runs, doctor and the replay suite all read it from there.
import { fileURLToPath } from 'node:url';
import { defineAgent } from '../agent-definition';
import { create${n.pascal}Activities } from './activities';
import { ${n.snake.toUpperCase()}_OUTPUTS } from './output';
import { ${n.workflowType}RecordSchema } from './record';
import { ${n.snake.toUpperCase()}_TABLES } from './tables';

export const ${n.constant} = defineAgent({
  workflowType: '${n.workflowType}',
  workflowModule: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  recordSchema: ${n.workflowType}RecordSchema,
  outputs: ${n.snake.toUpperCase()}_OUTPUTS,
  createActivities: ({ pool }) => create${n.pascal}Activities({ pool }),
  shadow: {
    ${activity}: { stub: 'writes ${table}', answer: () => ({ writes: 1 }) },
  },
  tables: ${n.snake.toUpperCase()}_TABLES,
  historiesDir: fileURLToPath(new URL('./histories', import.meta.url)),
});
`,
  };
}
