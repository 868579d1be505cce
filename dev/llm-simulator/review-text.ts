// Words and sentences the simulator writes: the vocabulary of product reviews, because the shipped
// agents tag reviews and answer support questions, and a demo reads better when the "model" talks
// about batteries and shipping than when it prints random letters.
import type { Rng } from './prng';

export const REVIEW_NOUNS = [
  'battery', 'shipping', 'quality', 'price', 'packaging', 'delivery', 'screen', 'sound', 'fit',
  'size', 'material', 'design', 'warranty', 'support', 'setup', 'charger', 'strap', 'color',
  'performance', 'value', 'instructions', 'refund', 'durability', 'comfort', 'noise', 'weight',
] as const;

export const REVIEW_ADJECTIVES = [
  'durable', 'comfortable', 'cheap', 'sturdy', 'flimsy', 'fast', 'slow', 'reliable', 'broken',
  'excellent', 'disappointing', 'lightweight', 'noisy', 'quiet', 'bright', 'responsive', 'solid',
  'overpriced', 'affordable', 'helpful', 'late', 'damaged', 'easy', 'confusing',
] as const;

const OPENINGS = ['Overall', 'In short', 'Honestly', 'For the price', 'After a week', 'So far'] as const;

/** One to `maxWords` review words joined by spaces, nouns and adjectives mixed. */
export function reviewWords(rng: Rng, maxWords = 1): string {
  const count = rng.int(1, Math.max(1, maxWords));
  const words: string[] = [];
  for (let i = 0; i < count; i += 1) {
    words.push(rng.chance(0.6) ? rng.pick(REVIEW_NOUNS) : rng.pick(REVIEW_ADJECTIVES));
  }
  return words.join(' ');
}

/** A short sentence about a product, e.g. "Overall, the battery is durable but the shipping was late." */
export function reviewSentence(rng: Rng): string {
  const first = `the ${rng.pick(REVIEW_NOUNS)} is ${rng.pick(REVIEW_ADJECTIVES)}`;
  const body = rng.chance(0.6)
    ? `${first} ${rng.pick(['and', 'but'])} the ${rng.pick(REVIEW_NOUNS)} was ${rng.pick(REVIEW_ADJECTIVES)}`
    : first;
  return `${rng.pick(OPENINGS)}, ${body}.`;
}

/** One to `maxSentences` sentences, for fields that hold prose (summaries, answers, reasons). */
export function reviewParagraph(rng: Rng, maxSentences = 2): string {
  const count = rng.int(1, Math.max(1, maxSentences));
  return Array.from({ length: count }, () => reviewSentence(rng)).join(' ');
}
