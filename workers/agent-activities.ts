// Every agent's activities, for one worker that serves any agent's task queue: the model gateway, the
// review index, the booking API's actions and undos, and the output-topic outbox. A route sends each
// workflow type to a task queue; whichever worker polls it can run it.
import type { Pool } from 'pg';
import type { Config } from '../config';
import { createBookingActivities } from '../activities/booking/booking-activities';
import { createBookingApi } from '../activities/booking/booking-api';
import { createConversationActivities } from '../activities/conversation';
import { createDeadLetterActivities } from '../activities/dead-letter';
import { createProvider } from '../activities/llm/create-provider';
import { createGatewayActivities } from '../activities/llm/gateway';
import { TokenLimiter } from '../activities/llm/limiter/token-limiter';
import { UsageLedger } from '../activities/llm/usage-ledger';
import type { Logger } from '../lib/logger';
import { createOutputActivities } from '../activities/output-topic';
import { createReviewTaggerActivities } from '../activities/review-tagger';

/** The activities, and close() for what they open beyond the pool (the worker owns the pool). */
export function createAgentActivities(config: Config, pool: Pool, log: Logger) {
  const provider = createProvider(config.llm);
  const limiter = new TokenLimiter(pool, { ...config.llm.limits, staleAfterMs: config.llm.requestTimeoutMs });
  const ledger = new UsageLedger(pool, config.llm.prices, (err, call) =>
    log.warn({ err: err.message, workflowId: call.workflowId, activityId: call.activityId, tokens: call.promptTokens + call.completionTokens }, 'recording a model call in llm_calls failed; the call itself stands (kta usage will miss it)'));
  const deadLetters = createDeadLetterActivities({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, pool });
  const activities = {
    ...createGatewayActivities({ ...config.llm, provider, limiter, ledger }),
    ...createReviewTaggerActivities({ pool }),
    ...createBookingActivities({ pool, api: createBookingApi(config.booking) }),
    ...createOutputActivities({ pool }),
    ...createConversationActivities({ pool }),
    ...deadLetters.activities,
  };
  return { activities, close: () => deadLetters.close() };
}
