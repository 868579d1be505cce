// Chaos profile of the support agent: tickets, a short review deadline (answers below the confidence
// threshold wait 2 s, then take the default), each result published to an output topic through the
// outbox and the relay; effects are the records on that topic.
import type { ChaosProfile } from './profile';

const QUESTIONS = ['Where is my parcel?', 'How do I reset my password?', 'Can I change my delivery address?', 'Why was I charged twice?'];

export const supportEscalationProfile: ChaosProfile = {
  workflowType: 'escalateSupport',
  weight: 2,
  outputTopic: true,
  route: ({ outputTopic }) => ({ workflow: { outputTopic, review: { deadlineMs: 2_000, defaultDecision: 'reject', confidenceThreshold: 0.75 } } }),
  record(n, rng) {
    const ticketId = `chaos-ticket-${n}`;
    return { key: ticketId, value: JSON.stringify({ ticketId, customer: `Customer ${rng.int(500)}`, question: `Ticket ${n}: ${rng.pick(QUESTIONS)}` }) };
  },
  // The ticket ID is the output record's key: one answer per ticket.
  countEffects({ outputKeys }) {
    const perKey = new Map<string | null, number>();
    for (const k of outputKeys) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    const duplicates = [...perKey.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    return Promise.resolve({ effects: outputKeys.length, duplicates, compensations: 0, leaks: 0, note: `${outputKeys.length} answers on the output topic for ${perKey.size} tickets` });
  },
};
