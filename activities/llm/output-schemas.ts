// The structured outputs the shared building blocks ask models for (the failed-run triage). Each agent
// declares its own in agents/<name>/output.ts; the worker hands the gateway all of them.
import { z } from 'zod';
import type { OutputSpec } from '../../agents/agent-definition';

export const deadLetterTriageSchema = z.object({
  class: z.enum(['REPROCESS', 'HUMAN_REVIEW', 'COMPENSATE']),
  why: z.string().min(1).max(500),
});

export const SHARED_OUTPUTS = {
  dead_letter_triage: { schema: deadLetterTriageSchema, description: 'Classify why an agent run failed: REPROCESS (transient, run it again), HUMAN_REVIEW (a person must look), COMPENSATE (an action was undone)' },
} satisfies Record<string, OutputSpec>;

declare module '../../core/model-tasks' {
  interface ModelTasks {
    dead_letter_triage: z.infer<typeof deadLetterTriageSchema>;
  }
}
