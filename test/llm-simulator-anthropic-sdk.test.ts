// The Anthropic route as the gateway's Anthropic provider meets it: through the official
// `@anthropic-ai/sdk` client, which must parse the simulator's answers and raise its own error
// classes for the simulator's faults. The exact wire format is tested with fetch in
// llm-simulator-faults.test.ts; this file proves the SDK agrees with it.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { ERROR_STATUS_HEADER, FAULT_HEADER, startLlmSimulator, type LlmSimulator, type LlmSimulatorOptions } from '../dev/llm-simulator/index';

const ReviewTags = z.object({
  tags: z.array(z.string()).min(1).max(5),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
});
const reviewTool: Anthropic.Tool = {
  name: 'review_tags',
  description: 'Record the tags of a review',
  input_schema: z.toJSONSchema(ReviewTags) as Anthropic.Tool.InputSchema,
};
// Long enough for loopback, short enough to keep the suite quick; the timeout fault never answers.
const CLIENT_TIMEOUT_MS = 400;

const review: Anthropic.MessageCreateParamsNonStreaming = {
  model: 'claude-sim',
  max_tokens: 512,
  system: 'Tag the product review.',
  messages: [{ role: 'user', content: 'The battery died after two days.' }],
};

async function simulator(t: TestContext, opts: LlmSimulatorOptions = {}): Promise<{ sim: LlmSimulator; client: Anthropic }> {
  const sim = await startLlmSimulator({ port: 0, ...opts });
  t.after(() => sim.close());
  return { sim, client: new Anthropic({ apiKey: 'simulator', baseURL: sim.url, maxRetries: 0, timeout: CLIENT_TIMEOUT_MS }) };
}

void test('answers the Anthropic SDK with a text message it parses', async (t) => {
  const { sim, client } = await simulator(t);
  const message = await client.messages.create(review);
  assert.equal(message.role, 'assistant');
  assert.equal(message.stop_reason, 'end_turn');
  const [block] = message.content;
  assert.ok(block.type === 'text', `expected a text block, got ${block.type}`);
  assert.ok(block.text.length > 0);
  assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
  assert.equal(sim.stats().callsByWireFormat.anthropic, 1);
});

void test('answers the Anthropic SDK a forced tool call whose input fits the schema', async (t) => {
  const { client } = await simulator(t, { seed: 3 });
  for (let i = 0; i < 5; i += 1) {
    const message = await client.messages.create({ ...review, tools: [reviewTool], tool_choice: { type: 'tool', name: 'review_tags' } });
    assert.equal(message.stop_reason, 'tool_use');
    const [block] = message.content;
    assert.ok(block.type === 'tool_use', `expected a tool_use block, got ${block.type}`);
    assert.equal(block.name, 'review_tags');
    ReviewTags.parse(block.input);
  }
});

void test('raises the Anthropic SDK error classes for 429, 529 and a hung call', async (t) => {
  const { sim, client } = await simulator(t);
  await assert.rejects(client.messages.create(review, { headers: { [FAULT_HEADER]: 'rate-limit' } }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.RateLimitError, `expected RateLimitError, got ${String(error)}`);
    assert.equal(error.headers.get('retry-after'), '2');
    assert.equal(error.type, 'rate_limit_error');
    return true;
  });
  await assert.rejects(client.messages.create(review, { headers: { [FAULT_HEADER]: 'server-error', [ERROR_STATUS_HEADER]: '529' } }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.APIError, `expected an APIError, got ${String(error)}`);
    assert.equal(error.status, 529);
    assert.equal(error.type, 'overloaded_error');
    return true;
  });
  await assert.rejects(client.messages.create(review, { headers: { [FAULT_HEADER]: 'timeout' } }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.APIConnectionTimeoutError, `expected APIConnectionTimeoutError, got ${String(error)}`);
    return true;
  });
  assert.deepEqual([sim.stats().faults['rate-limit'], sim.stats().faults['server-error'], sim.stats().faults.timeout], [1, 1, 1]);
});
