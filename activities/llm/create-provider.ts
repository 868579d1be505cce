// Picks the provider from configuration alone: LLM_PROVIDER, LLM_BASE_URL, LLM_MODEL, LLM_API_KEY.
import type { Config } from '../../config';
import { createAnthropicProvider } from './anthropic-provider';
import { createOpenAiProvider } from './openai-provider';
import type { ModelProvider } from './provider';

export function createProvider(llm: Config['llm']): ModelProvider {
  const opts = { baseUrl: llm.baseUrl, apiKey: llm.apiKey, model: llm.model };
  return llm.provider === 'anthropic' ? createAnthropicProvider(opts) : createOpenAiProvider(opts);
}
