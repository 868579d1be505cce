// The chaos profiles by workflow type. The run iterates the agent registry (agents/registry.ts) and
// looks each agent up here, so a new agent joins the chaos suite by adding its profile to this table.
import type { AgentDefinition } from '../../agents/agent-definition';
import { AGENTS } from '../../agents/registry';
import { conversationProfile } from './conversation';
import { orderSupportProfile } from './order-support';
import type { ChaosProfile } from './profile';
import { reviewTaggerProfile } from './review-tagger';
import { reviewTaggerThroughputProfile } from './review-tagger-throughput';
import { supportEscalationProfile } from './support-escalation';
import { tripBookingProfile } from './trip-booking';

const PROFILES: readonly ChaosProfile[] = [reviewTaggerProfile, tripBookingProfile, supportEscalationProfile, conversationProfile, orderSupportProfile];
/** Profiles of agents' throughput routes, for every agent that offers the mode. */
const THROUGHPUT_PROFILES: readonly ChaosProfile[] = [reviewTaggerThroughputProfile];

export class MissingChaosProfileError extends Error {
  override readonly name = 'MissingChaosProfileError';
  constructor(readonly workflowTypes: string[]) {
    super(`agent workflow type(s) ${workflowTypes.join(', ')} have no chaos profile; add one in chaos/profiles/ (records to produce, how to count its effects) and list it in chaos/profiles/index.ts`);
  }
}

/**
 * Every registered agent's profile, in registry order, then a throughput profile for each agent that
 * offers throughput mode; throws when one is missing.
 */
export function chaosProfiles(agents: readonly AgentDefinition[] = AGENTS): ChaosProfile[] {
  const find = (list: readonly ChaosProfile[], a: AgentDefinition) => list.find((p) => p.workflowType === a.workflowType);
  const missing = [
    ...agents.filter((a) => !find(PROFILES, a)).map((a) => a.workflowType),
    ...agents.filter((a) => a.throughput && !find(THROUGHPUT_PROFILES, a)).map((a) => `${a.workflowType} (throughput mode)`),
  ];
  if (missing.length) throw new MissingChaosProfileError(missing);
  return [...agents.map((a) => find(PROFILES, a)!), ...agents.filter((a) => a.throughput).map((a) => find(THROUGHPUT_PROFILES, a)!)];
}

export type { ChaosProfile } from './profile';
