// A tool's service refused a call for a reason the model can act on (no such order, a refund over the
// balance). The activity fails for good with this type; the agent loop hands the message to the
// model as the call's result instead of failing the run.
import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../core/failure-types';

export function toolRefused(message: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.ToolRefused, message, nonRetryable: true, cause });
}
