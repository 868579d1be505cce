// The conversation agent: one long-running run per key, records in offset order (per-key routes).
import { fileURLToPath } from 'node:url';
import { defineAgent } from '../agent-definition';
import { CONVERSATION_TABLES, createConversationActivities } from './activities';
import { CONVERSATION_OUTPUTS } from './output';
import { conversationMessageSchema } from './record';

export const conversation = defineAgent({
  workflowType: 'conversationAgent',
  workflowModule: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  recordSchema: conversationMessageSchema,
  outputs: CONVERSATION_OUTPUTS,
  createActivities: ({ pool }) => createConversationActivities({ pool }),
  shadow: {
    loadConversationHighWater: { keep: 'reads the conversation high-water marks; writes nothing' },
    appendConversationTurn: { stub: 'writes a conversation turn and the entity\'s high-water mark', answer: () => undefined },
  },
  tables: CONVERSATION_TABLES,
  historiesDir: fileURLToPath(new URL('./histories', import.meta.url)),
});
