// The worker's workflowsPath: every agent workflow, re-exported. Deterministic code only.
export { tagReview } from './tag-review';
export { bookTrip } from './book-trip';
export { escalateSupport } from './escalate-support';
export { conversationAgent } from './conversation-agent';
