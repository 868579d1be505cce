// What the support agent asks the model for: an answer and the model's confidence in it.
import { z } from 'zod';
import type { OutputSpec } from '../agent-definition';

export const supportAnswerSchema = z.object({
  answer: z.string().min(1).max(2000),
  /** The model's own confidence, 0 to 1; below the route's threshold a human decides. */
  confidence: z.number().min(0).max(1),
});
export type SupportAnswer = z.infer<typeof supportAnswerSchema>;

export const SUPPORT_ESCALATION_OUTPUTS = {
  support_answer: { schema: supportAnswerSchema, description: 'Record the answer to one support ticket and how confident you are in it' },
} satisfies Record<string, OutputSpec>;

declare module '../../core/model-tasks' {
  interface ModelTasks {
    support_answer: SupportAnswer;
  }
}
