// The conversation agent's record: one message of a conversation keyed by the record's key.
import { z } from 'zod';

export const conversationMessageSchema = z.object({
  text: z.string().min(1).max(20_000),
  author: z.string().max(200).optional(),
});

export type ConversationMessage = z.infer<typeof conversationMessageSchema>;
