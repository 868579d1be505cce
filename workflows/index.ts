// The worker's workflowsPath: every agent workflow, re-exported. Deterministic code only.
export { tagReview } from './tag-review';
