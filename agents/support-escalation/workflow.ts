// Support escalation (human in the loop): ticket -> model answer with a confidence (recorded). At or
// above the route's threshold the answer goes out; below it the run waits for a human decision
// (approve / edit / reject) until the deadline, then takes the configured default. The result is
// published to the route's output topic through the outbox, once per run.
import { ApplicationFailure, proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { OutputActivities } from '../../activities/output-topic';
import { askModel, failureMessage, failureType } from '../../workflows/ask-model';
import { reviewGate } from '../../workflows/await-review';
import { effect } from '../../workflows/effect';
import { supportAnswerPrompt } from './prompts';
import type { SupportTicket } from './record';
import { FailureType } from '../../core/failure-types';
import type { AgentInput } from '../../core/run-input';
import { AGENT_STATUS, AgentStatus } from '../../workflows/search-attributes';
import { formatCoordinates } from '../../core/kafka-record';
import { printable } from '../../core/printable';
import { deadLetterRun } from '../../workflows/dead-letter-run';

export interface EscalateSupportResult {
  readonly ticketId: string;
  /** answered: confident enough to go out alone; approved / edited / rejected: a human (or the deadline) decided. */
  readonly outcome: 'answered' | 'approved' | 'edited' | 'rejected';
  /** The answer sent to the customer; null when rejected (the ticket goes to a human agent). */
  readonly answer: string | null;
  readonly draft: string;
  readonly confidence: number;
  readonly decidedBy: 'model' | 'human' | 'deadline';
  readonly reviewer: string | null;
  readonly published: boolean;
  readonly model: string;
  readonly tokens: number;
}

const setStatus = (status: AgentStatus) => upsertSearchAttributes([{ key: AGENT_STATUS, value: status }]);

export async function escalateSupport(input: AgentInput<SupportTicket>): Promise<EscalateSupportResult> {
  try {
    return await escalateSupportSteps(input);
  } catch (err) {
    throw await deadLetterRun(input, err);
  }
}

async function escalateSupportSteps(input: AgentInput<SupportTicket>): Promise<EscalateSupportResult> {
  const gate = reviewGate();
  const { value: ticket, source, settings } = input;
  // Record values are printed escaped: a NUL in a ticket ID must not reach a summary or a dead letter raw.
  const ticketId = printable(ticket.ticketId);
  setCurrentDetails(`Answering support ticket ${ticketId} from ${formatCoordinates(source)}`);
  let draft;
  try {
    draft = await askModel('support_answer', supportAnswerPrompt(ticket), settings, `Ask the model to answer ticket ${ticketId}`);
  } catch (err) {
    setStatus(AgentStatus.Failed);
    throw err;
  }
  const { answer: drafted, confidence } = draft.value;
  let result: Pick<EscalateSupportResult, 'outcome' | 'answer' | 'decidedBy' | 'reviewer'>;
  if (confidence >= settings.review.confidenceThreshold) {
    result = { outcome: 'answered', answer: drafted, decidedBy: 'model', reviewer: null };
  } else {
    const { decision, decidedBy } = await gate.wait(
      { subject: `support ticket ${ticketId}`, question: ticket.question, draft: drafted, confidence },
      settings.review,
    );
    const base = { decidedBy, reviewer: decision.reviewer };
    if (decision.action === 'approve') result = { ...base, outcome: 'approved', answer: drafted };
    else if (decision.action === 'edit') result = { ...base, outcome: 'edited', answer: decision.answer };
    else result = { ...base, outcome: 'rejected', answer: null };
  }

  const topic = settings.outputTopic;
  if (topic) {
    const output = proxyActivities<OutputActivities>({
      startToCloseTimeout: settings.effectTimeoutMs,
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: settings.effectRetryAttempts },
      summary: `Publish the ${result.outcome} answer to ticket ${ticketId} to ${topic}`,
    });
    try {
      await effect('publish-answer', (key) =>
        output.publishResult({ idempotencyKey: key, topic, key: ticket.ticketId, value: { ticketId: ticket.ticketId, ...result, confidence, source } }),
      );
    } catch (err) {
      if (failureType(err) !== FailureType.SinkData) {
        setStatus(AgentStatus.Failed);
        throw err;
      }
      // The outbox refused a value for good (a NUL in the ticket ID): no retry can store it, a human decides.
      setStatus(AgentStatus.NeedsReview);
      setCurrentDetails(`Ticket ${ticketId}: the outbox cannot store its answer; needs a human review`);
      throw ApplicationFailure.create({ type: FailureType.NeedsReview, message: `Ticket ${ticketId}: the outbox cannot store its answer; needs a human review: ${failureMessage(err)}`, nonRetryable: true, cause: err as Error });
    }
  }
  setStatus(AgentStatus.Completed);
  const tokens = draft.usage.promptTokens + draft.usage.completionTokens;
  setCurrentDetails(
    `Ticket ${ticketId}: ${result.outcome} (confidence ${confidence}, decided by ${result.decidedBy}${result.reviewer ? ` ${result.reviewer}` : ''})` +
      `${topic ? `, published to ${topic}` : ''}; ${tokens} tokens`,
  );
  return { ticketId: ticket.ticketId, ...result, draft: drafted, confidence, published: Boolean(topic), model: draft.model, tokens };
}
