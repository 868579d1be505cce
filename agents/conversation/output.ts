// What the conversation agent asks the model for: the reply to the latest message.
import { z } from 'zod';
import type { OutputSpec } from '../agent-definition';

export const conversationReplySchema = z.object({ reply: z.string().min(1).max(4000) });
export type ConversationReply = z.infer<typeof conversationReplySchema>;

export const CONVERSATION_OUTPUTS = {
  conversation_reply: { schema: conversationReplySchema, description: 'Record the reply to the latest message of the conversation' },
} satisfies Record<string, OutputSpec>;

declare module '../../core/model-tasks' {
  interface ModelTasks {
    conversation_reply: ConversationReply;
  }
}
