// The recorded histories an agent ships: every *.json in its `historiesDir`, as
// `temporal workflow show --output json`, historyToJSON or `kta replay --save` wrote it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import type { AgentDefinition } from '../../agents/agent-definition';

export interface RecordedHistory {
  /** The file name in the agent's histories folder; replay results are named by it. */
  readonly file: string;
  readonly history: History;
  readonly workflowType: string | undefined;
}

export function recordedHistories(agent: AgentDefinition): RecordedHistory[] {
  if (!existsSync(agent.historiesDir)) return [];
  return readdirSync(agent.historiesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      // historyFromJSON ignores the workflowId/runId that `kta replay --save` adds beside the events.
      const history = historyFromJSON(JSON.parse(readFileSync(join(agent.historiesDir, file), 'utf8')));
      const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;
      return { file, history, workflowType };
    });
}

/** Feeds histories to Worker.runReplayHistories, each named by its file. */
export async function* replayInputs(histories: readonly RecordedHistory[]) {
  for (const h of histories) yield { workflowId: h.file, history: h.history };
}
