// Chaos profile of the conversation agent (ordered per key): messages of a few dozen conversations,
// one entity run per key; effects are the turns, one per offset.
import type { ChaosProfile } from './profile';

const CONVERSATIONS = 24;

export const conversationProfile: ChaosProfile = {
  workflowType: 'conversationAgent',
  weight: 1,
  perKey: true,
  route: () => ({ ordering: 'per-key', entity: { idleMs: 3_000, maxTurnsPerRun: 50 } }),
  record(n, rng) {
    return { key: `chaos-conversation-${rng.int(CONVERSATIONS)}`, value: JSON.stringify({ text: `Message ${n}: what about the order I placed?`, author: 'customer' }) };
  },
  async countEffects({ pool, topic }) {
    const { rows } = await pool.query<{ turns: string; duplicates: string }>(
      `SELECT coalesce(sum(n), 0)::text AS turns, coalesce(sum(n - 1), 0)::text AS duplicates
         FROM (SELECT count(*) AS n FROM conversation_turns WHERE entity_id LIKE $1 GROUP BY entity_id, partition, "offset") t`,
      [`${topic}#key=%`],
    );
    return { effects: Number(rows[0].turns), duplicates: Number(rows[0].duplicates), compensations: 0, leaks: 0, note: `${rows[0].turns} turns` };
  },
};
