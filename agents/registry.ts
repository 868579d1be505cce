// Every agent, named once. The bridge, the gateway, the worker, the workflow bundle, shadow runs,
// doctor, prune and the replay suite read this list; `kta new agent` adds a line to it.
import type { AgentDefinition } from './agent-definition';
import { conversation } from './conversation/agent';
import { orderSupport } from './order-support/agent';
import { reviewTagger } from './review-tagger/agent';
import { supportEscalation } from './support-escalation/agent';
import { tripBooking } from './trip-booking/agent';

export const AGENTS: readonly AgentDefinition[] = [
  reviewTagger,
  tripBooking,
  supportEscalation,
  conversation,
  orderSupport,
];
