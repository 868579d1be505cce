// The support agent's prompt. Built in the workflow (pure, deterministic) so the history shows exactly
// what the model was asked, and tests can compute its hash for the LLM simulator's fixtures.
import type { ChatMessage } from '../../activities/llm/provider';
import type { SupportTicket } from './record';

export const SUPPORT_ANSWER_SYSTEM_PROMPT =
  'You answer customer support tickets. Answer the question in a few sentences and give your confidence, from 0 to 1, ' +
  'that the answer is correct and complete. Say so with a low confidence when you are unsure.';

export function supportAnswerPrompt(ticket: SupportTicket): ChatMessage[] {
  return [
    { role: 'system', content: SUPPORT_ANSWER_SYSTEM_PROMPT },
    { role: 'user', content: `Ticket ${ticket.ticketId}${ticket.customer ? ` from ${ticket.customer}` : ''}:\n${ticket.question}` },
  ];
}
