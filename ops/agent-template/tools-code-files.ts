// Part of the template `kta new agent <name> --tools` writes (ops/new-agent.ts): the workflow (the
// agent loop), the tools' activities and the agent's definition.
import type { AgentNames } from './names';
import { toolNames } from './tools-names';

export function agentToolCodeFiles(n: AgentNames): Record<string, string> {
  const t = toolNames(n);
  const C = n.snake.toUpperCase();
  return {
    'workflow.ts': `// ${n.workflowType}: a tool-using agent. The model reads the item, labels it and answers, turn by turn,
// through runAgent (workflows/agent-loop.ts): every turn and every tool call is recorded, so a replay,
// a worker restart or a redelivered record asks nothing again; the policies in tools.ts guard each
// call; a budget reached or a second bad tool call ends the run in NeedsReview with a HUMAN_REVIEW
// dead letter; a failure undoes the labels. Deterministic code only (lint and layering say so).
import { continueAsNew } from '@temporalio/workflow';
import type { AgentInput } from '../../core/run-input';
import { runAgent, type AgentRunResult } from '../../workflows/agent-loop';
import type { AgentLoopState } from '../../workflows/agent-loop-state';
import { reviewGate } from '../../workflows/await-review';
import { deadLetterRun } from '../../workflows/dead-letter-run';
import { ${C}_INSTRUCTIONS, ${n.workflowType}Request } from './prompts';
import type { ${n.pascal}Record } from './record';
import { ${C}_BUDGET, ${C}_LIMITS, ${C}_TOOLS } from './tools';

export type ${n.pascal}Input = AgentInput<${n.pascal}Record> & { readonly loop?: AgentLoopState };

export interface ${n.pascal}Result extends AgentRunResult {
  readonly id: string;
}

export async function ${n.workflowType}(input: ${n.pascal}Input): Promise<${n.pascal}Result> {
  // Registered first: a held tool call waits on this gate for a human decision.
  const gate = reviewGate();
  try {
    const { value: record } = input;
    const result = await runAgent({
      name: '${n.snake}',
      instructions: ${C}_INSTRUCTIONS,
      request: ${n.workflowType}Request(record),
      untrusted: { label: 'item text', text: record.text },
      record,
      tools: ${C}_TOOLS,
      settings: input.settings,
      budget: ${C}_BUDGET,
      limits: ${C}_LIMITS,
      gate,
      state: input.loop,
      continueAsNew: (loop) => continueAsNew<typeof ${n.workflowType}>({ ...input, loop }),
    });
    return { id: record.id, ...result };
  } catch (err) {
    // A run that fails for good becomes a dead letter classified by why (HUMAN_REVIEW, REPROCESS...).
    throw await deadLetterRun(input, err);
  }
}
`,
    'activities.ts': `// ${n.workflowType}'s tools as activities, one per tool under the tool's name, plus the undo. Each write
// is keyed by the call's idempotency key (workflowId/t<turn>.c<call>.<tool>): a retried attempt or a
// replacement worker writes nothing new, and an undo that overtook its label keeps it removed.
import type { Pool } from 'pg';
import { failForGoodOnDataError, sinkWrite } from '../../activities/sinks/sink-write';
import type { ToolActivityInput, UndoActivityInput } from '../../workflows/tools/define-tool';

type LabelArgs = { itemId: string; label: string };

export function create${n.pascal}Activities({ pool }: { pool: Pool }) {
  return {
    async ${t.read}({ args }: ToolActivityInput<{ itemId: string }>) {
      const { rows } = await pool.query<{ label: string }>(
        "SELECT label FROM ${t.table} WHERE item_id = $1 AND status = 'applied' ORDER BY applied_at, idempotency_key",
        [args.itemId],
      );
      return { itemId: args.itemId, labels: rows.map((r) => r.label) };
    },
    async ${t.act}({ idempotencyKey, args }: ToolActivityInput<LabelArgs>) {
      return failForGoodOnDataError(() =>
        sinkWrite('${t.table}', args.itemId, args, async () => {
          // Insert if absent: a second attempt with the key, or a label its undo removed first, stays as it is.
          await pool.query(
            "INSERT INTO ${t.table} (idempotency_key, item_id, label, status) VALUES ($1, $2, $3, 'applied') ON CONFLICT (idempotency_key) DO NOTHING",
            [idempotencyKey, args.itemId, args.label],
          );
          const { rows } = await pool.query<{ status: string }>('SELECT status FROM ${t.table} WHERE idempotency_key = $1', [idempotencyKey]);
          return { itemId: args.itemId, label: args.label, status: rows[0].status };
        }),
      );
    },
    /** The undo of ${t.act}, by the label call's key: removes the label, or marks a key never used as removed. */
    async ${t.undo}({ originalKey, args }: UndoActivityInput<LabelArgs>) {
      return failForGoodOnDataError(() =>
        sinkWrite('${t.table}', args.itemId, args, async () => {
          await pool.query(
            \`INSERT INTO ${t.table} (idempotency_key, item_id, label, status, removed_at) VALUES ($1, $2, $3, 'removed', now())
             ON CONFLICT (idempotency_key) DO UPDATE SET status = 'removed', removed_at = COALESCE(${t.table}.removed_at, now())\`,
            [originalKey, args.itemId, args.label],
          );
          return { itemId: args.itemId, label: args.label, status: 'removed' };
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
import { ${n.workflowType}RecordSchema } from './record';
import { ${C}_TABLES } from './tables';

export const ${n.constant} = defineAgent({
  workflowType: '${n.workflowType}',
  workflowModule: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  recordSchema: ${n.workflowType}RecordSchema,
  // Its model turns offer tools (the gateway's \`tools\` output): no structured-output task to declare.
  outputs: {},
  createActivities: ({ pool }) => create${n.pascal}Activities({ pool }),
  shadow: {
    ${t.read}: { keep: 'reads labels from ${t.table}' },
    ${t.act}: { stub: 'writes a label to ${t.table}', answer: (req: { args: { itemId: string; label: string } }) => ({ ...req.args, status: 'applied' }) },
    ${t.undo}: { stub: 'removes a label from ${t.table} (a compensation)', answer: (req: { args: { itemId: string; label: string } }) => ({ ...req.args, status: 'removed' }) },
  },
  tables: ${C}_TABLES,
  historiesDir: fileURLToPath(new URL('./histories', import.meta.url)),
});
`,
  };
}
