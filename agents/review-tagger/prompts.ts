// The review tagger's prompt. Built in the workflow (pure, deterministic) so the history shows exactly
// what the model was asked.
import type { ChatMessage } from '../../activities/llm/provider';
import type { Review } from './record';

export const REVIEW_TAGS_SYSTEM_PROMPT =
  'You tag product reviews for a search index. Answer with 1 to 5 short lowercase topic tags and the overall sentiment.';

export function reviewTagsPrompt(review: Review): ChatMessage[] {
  return [
    { role: 'system', content: REVIEW_TAGS_SYSTEM_PROMPT },
    { role: 'user', content: `Review ${review.reviewId}${review.rating ? ` (${review.rating}/5)` : ''}:\n${review.text}` },
  ];
}
