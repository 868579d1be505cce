// Error bodies in each wire format, so each SDK raises the error class it raises against the real
// provider: OpenAI's `{ error: { message, type, param, code } }` and Anthropic's
// `{ type: 'error', error: { type, message } }`, whose type follows the status.
import { randomUUID } from 'node:crypto';
import type { LlmSimulatorRequestError } from './errors';
import type { Reply } from './reply';
import type { WireFormatName } from './model-call';

/** An error answer before it is put in a wire format. */
export interface SimulatedError {
  status: number;
  message: string;
  headers?: Record<string, string>;
  /** OpenAI's `type` (`invalid_request_error`, `requests`, `server_error`), `param` and `code`. */
  openai: { type: string; param: string | null; code: string | null };
}

// The error types of the Anthropic API by status; anything else in the 5xx range is an api_error.
const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function anthropicErrorType(status: number): string {
  return ANTHROPIC_ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function requestErrorAsSimulated(error: LlmSimulatorRequestError): SimulatedError {
  return { status: error.status, message: error.message, openai: { type: 'invalid_request_error', param: error.param, code: error.code } };
}

export function unexpectedErrorAsSimulated(error: unknown): SimulatedError {
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, message: `LLM simulator failed: ${message}`, openai: { type: 'server_error', param: null, code: null } };
}

export function openaiErrorReply(error: SimulatedError): Reply {
  return {
    status: error.status,
    body: { error: { message: error.message, type: error.openai.type, param: error.openai.param, code: error.openai.code } },
    headers: { 'x-request-id': `req_sim_${randomUUID()}`, ...error.headers },
  };
}

export function anthropicErrorReply(error: SimulatedError): Reply {
  const requestId = `req_sim_${randomUUID()}`;
  return {
    status: error.status,
    body: { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message }, request_id: requestId },
    headers: { 'request-id': requestId, ...error.headers },
  };
}

export function errorReplyIn(wire: WireFormatName, error: SimulatedError): Reply {
  return wire === 'openai' ? openaiErrorReply(error) : anthropicErrorReply(error);
}
