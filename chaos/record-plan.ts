// What a chaos run produces: N records over every agent's topic by the profiles' weights, shuffled by
// the seed, with a share of bad records (dead letters by design) and of business-key duplicates (the
// same event sent twice at two offsets; the route runs it once).
import type { ChaosProfile, ChaosRecord } from './profiles/profile';
import type { Rng } from './rng';

export const BAD_SHARE = 0.03;
export const DUPLICATE_SHARE = 0.03;

export type PlannedKind = 'good' | 'bad' | 'duplicate';

export interface PlannedRecord extends ChaosRecord {
  readonly topic: string;
  readonly kind: PlannedKind;
}

const badValue = (n: number, rng: Rng): string => rng.pick(['{"not json', '{"unexpected":"shape"}', '', `[${n}]`, '\u0000\u0001binary']);

export function planRecords(total: number, topics: readonly { profile: ChaosProfile; topic: string }[], rng: Rng): PlannedRecord[] {
  const weights = topics.reduce((sum, t) => sum + t.profile.weight, 0);
  const plan: PlannedRecord[] = [];
  let assigned = 0;
  topics.forEach(({ profile, topic }, i) => {
    const count = i === topics.length - 1 ? total - assigned : Math.round((total * profile.weight) / weights);
    assigned += count;
    const sent: ChaosRecord[] = [];
    for (let n = 0; n < count; n++) {
      const roll = rng.next();
      if (roll < BAD_SHARE) {
        plan.push({ topic, kind: 'bad', key: `chaos-bad-${topic}-${n}`, value: badValue(n, rng) });
      } else if (profile.businessKeyDuplicates && sent.length > 0 && roll < BAD_SHARE + DUPLICATE_SHARE) {
        plan.push({ topic, kind: 'duplicate', ...rng.pick(sent) });
      } else {
        const record = profile.record(plan.length, rng);
        sent.push(record);
        plan.push({ topic, kind: 'good', ...record });
      }
    }
  });
  // Interleave the topics, keeping each topic's own order (a duplicate always follows its original).
  const queues = topics.map(({ topic }) => plan.filter((r) => r.topic === topic));
  const mixed: PlannedRecord[] = [];
  while (queues.some((q) => q.length)) {
    const open = queues.filter((q) => q.length);
    mixed.push(open[rng.int(open.length)].shift()!);
  }
  return mixed;
}
