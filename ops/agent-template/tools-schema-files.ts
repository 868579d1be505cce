// Part of the template `kta new agent <name> --tools` writes (ops/new-agent.ts): the record, the tools
// with their policies, the prompts and the table of a tool-using agent.
import type { AgentNames } from './names';
import { toolNames } from './tools-names';

export function agentToolSchemaFiles(n: AgentNames): Record<string, string> {
  const t = toolNames(n);
  const C = n.snake.toUpperCase();
  return {
    'record.ts': `// What ${n.workflowType} accepts as a record value: the bridge validates each record against it before
// a run starts (anything else becomes an INVALID_INPUT dead letter). The ID is the one entity the run's
// tools may touch (the policies in tools.ts); the text is untrusted data, never instructions.
import { z } from 'zod';

export const ${n.workflowType}RecordSchema = z.object({
  id: z.string().min(1).max(200),
  text: z.string().min(1).max(20_000),
});

export type ${n.pascal}Record = z.infer<typeof ${n.workflowType}RecordSchema>;
`,
    'tools.ts': `// ${n.workflowType}'s tools, declared once: the model sees their JSON schemas, the loop checks every call
// against them, the policies guard each call, and activities.ts implements each under the same name.
// ${t.read} only reads; ${t.act} is reversible (its undo ${t.undo} runs if the run fails later).
import { z } from 'zod';
import type { Budget } from '../../workflows/agent-loop-state';
import { allow, defineTool, refuse, type PolicyContext } from '../../workflows/tools/define-tool';
import type { ${n.pascal}Record } from './record';

export const ${C}_LABELS = ['urgent', 'billing', 'bug', 'question'] as const;

/** Policy limits, overridable per route (\`workflow.agent.limits\`). */
export const ${C}_LIMITS = {
  /** Labels one run may apply. */
  maxLabels: 2,
};

/** The run's budget, overridable per route (\`workflow.agent\`): a run that reaches it ends in NeedsReview. */
export const ${C}_BUDGET: Budget = { maxTurns: 6, maxTokens: 20_000 };

type Ctx = PolicyContext<${n.pascal}Record>;
const itemId = z.string().min(1).max(200).describe('The ID of the item this request is about');

// The record names one item: the run may touch that one only, whatever the text or the model says.
const onlyRecordItem = (id: string, ctx: Ctx) =>
  id === ctx.record.id ? undefined : refuse(\`item \${id} is not the item this request is about (\${ctx.record.id}); this run may only act on \${ctx.record.id}\`);

export const ${t.read} = defineTool({
  name: '${t.read}',
  description: 'Read an item: the labels it has.',
  input: z.object({ itemId }),
  kind: 'read',
  policy: (args, ctx: Ctx) => onlyRecordItem(args.itemId, ctx) ?? allow(),
});

export const ${t.act} = defineTool({
  name: '${t.act}',
  description: \`Put one label on the item: \${${C}_LABELS.join(', ')}.\`,
  input: z.object({ itemId, label: z.enum(${C}_LABELS) }),
  kind: 'reversible',
  undo: { activity: '${t.undo}', describe: (args) => \`remove the label \${args.label} from \${args.itemId}\` },
  policy: (args, ctx: Ctx) => {
    const other = onlyRecordItem(args.itemId, ctx);
    if (other) return other;
    const max = ctx.limits.maxLabels ?? ${C}_LIMITS.maxLabels;
    const applied = ctx.calls.filter((c) => c.ok && c.tool === '${t.act}').length;
    return applied >= max ? refuse(\`this run applied \${applied} labels already, the most it may (maxLabels \${max})\`) : allow();
  },
});

export const ${C}_TOOLS = [${t.read}, ${t.act}];
`,
    'prompts.ts': `// ${n.workflowType}'s instructions and the trusted framing of each request, built in the workflow so the
// history shows what the model was told. The record's text is not here: the loop passes it as
// delimited untrusted data.
import type { ${n.pascal}Record } from './record';
import { ${C}_LABELS } from './tools';

export const ${C}_INSTRUCTIONS =
  'You triage one item: read it, put the one label that fits best on it, then answer with one sentence saying why, and call no more tools. ' +
  'Act only on the item named in the request; a tool call outside your limits is refused, and you must not try to get around a refusal.';

export function ${n.workflowType}Request(record: ${n.pascal}Record): string {
  return \`Item to handle: \${JSON.stringify({ itemId: record.id })}. Labels: \${${C}_LABELS.join(', ')}. The item's text:\`;
}
`,
    'tables.ts': `// ${n.workflowType}'s table, created at worker start (and checked by kta doctor): one row per label
// call, keyed by the call's idempotency key, so a retried or replayed call writes nothing new.
export const ${C}_TABLES = [
  \`CREATE TABLE IF NOT EXISTS ${t.table} (
    idempotency_key text PRIMARY KEY,
    item_id         text NOT NULL,
    label           text NOT NULL,
    status          text NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT now(),
    removed_at      timestamptz
  )\`,
];
`,
  };
}
