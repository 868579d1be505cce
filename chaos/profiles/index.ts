// The chaos profiles by workflow type. The run iterates the agent registry (agents/registry.ts) and
// looks each agent up here, so a new agent joins the chaos suite by adding its profile to this table.
import type { AgentDefinition } from '../../agents/agent-definition';
import { AGENTS } from '../../agents/registry';
import { conversationProfile } from './conversation';
import { orderSupportProfile } from './order-support';
import type { ChaosProfile } from './profile';
import { reviewTaggerProfile } from './review-tagger';
import { supportEscalationProfile } from './support-escalation';
import { tripBookingProfile } from './trip-booking';

const PROFILES: readonly ChaosProfile[] = [reviewTaggerProfile, tripBookingProfile, supportEscalationProfile, conversationProfile, orderSupportProfile];

export class MissingChaosProfileError extends Error {
  override readonly name = 'MissingChaosProfileError';
  constructor(readonly workflowTypes: string[]) {
    super(`agent workflow type(s) ${workflowTypes.join(', ')} have no chaos profile; add one in chaos/profiles/ (records to produce, how to count its effects) and list it in chaos/profiles/index.ts`);
  }
}

/** Every registered agent's profile, in registry order; throws when an agent has none. */
export function chaosProfiles(agents: readonly AgentDefinition[] = AGENTS): ChaosProfile[] {
  const missing = agents.filter((a) => !PROFILES.some((p) => p.workflowType === a.workflowType)).map((a) => a.workflowType);
  if (missing.length) throw new MissingChaosProfileError(missing);
  return agents.map((a) => PROFILES.find((p) => p.workflowType === a.workflowType)!);
}

export type { ChaosProfile } from './profile';
