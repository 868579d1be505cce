// Order support, a tool-using agent: the model looks the order up, refunds it, emails the customer and
// answers, turn by turn, through runAgent (workflows/agent-loop.ts). Each turn and each tool call is
// recorded; the policies in tools.ts guard every call; a budget reached, or a second bad tool call,
// ends the run in NeedsReview with a HUMAN_REVIEW dead letter; a failure undoes the refunds.
import { continueAsNew } from '@temporalio/workflow';
import type { AgentInput } from '../../core/run-input';
import { runAgent, type AgentRunResult } from '../../workflows/agent-loop';
import type { AgentLoopState } from '../../workflows/agent-loop-state';
import { reviewGate } from '../../workflows/await-review';
import { deadLetterRun } from '../../workflows/dead-letter-run';
import { ORDER_SUPPORT_INSTRUCTIONS, orderSupportRequest } from './prompts';
import type { OrderSupportRecord } from './record';
import { ORDER_SUPPORT_LIMITS, ORDER_SUPPORT_TOOLS } from './tools';

export type SupportOrderInput = AgentInput<OrderSupportRecord> & { readonly loop?: AgentLoopState };

export interface SupportOrderResult extends AgentRunResult {
  readonly orderId: string;
}

export async function supportOrder(input: SupportOrderInput): Promise<SupportOrderResult> {
  const gate = reviewGate();
  try {
    const { value: record } = input;
    const result = await runAgent({
      name: 'order_support',
      instructions: ORDER_SUPPORT_INSTRUCTIONS,
      request: orderSupportRequest(record),
      untrusted: { label: 'customer message', text: record.message },
      record,
      tools: ORDER_SUPPORT_TOOLS,
      settings: input.settings,
      budget: { maxTurns: 10, maxTokens: 60_000 },
      limits: ORDER_SUPPORT_LIMITS,
      gate,
      state: input.loop,
      continueAsNew: (loop) => continueAsNew<typeof supportOrder>({ ...input, loop }),
    });
    return { orderId: record.orderId, ...result };
  } catch (err) {
    throw await deadLetterRun(input, err);
  }
}
