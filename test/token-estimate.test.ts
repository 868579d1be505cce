// The limiter's token estimate on hostile text: it must finish (linear work, no timing asserted here)
// and stay at or above the real count, since a reservation below the real cost lets too much through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimatePromptTokens, loadTokenizer, MAX_ENCODED_CHARS } from '../activities/llm/token-estimate';

const LONG_CHARS = 200_000;
const SAMPLE_CHARS = 400;
const tokenizer = loadTokenizer();

// Periodic texts, so the real count of the whole is the real count of a short sample times the ratio.
const ADVERSARIAL: Record<string, string> = {
  'brackets': '[',
  'one letter': 'a',
  'braces and brackets': '{[',
  'CJK letters': '漢字',
  'emoji': '😀',
  'digits and dots': '1.',
};

for (const [name, unit] of Object.entries(ADVERSARIAL)) {
  test(`the estimate of ${LONG_CHARS} characters of ${name} is finite and at least the real token count`, async () => {
    const text = unit.repeat(LONG_CHARS / unit.length);
    const sample = unit.repeat(SAMPLE_CHARS / unit.length);
    const realLowerBound = tokenizer.encode(sample).length * (LONG_CHARS / SAMPLE_CHARS);
    const estimate = await estimatePromptTokens([{ role: 'user', content: text }]);
    assert.ok(Number.isFinite(estimate), `finite estimate, got ${estimate}`);
    assert.ok(estimate >= realLowerBound, `estimate ${estimate} >= real count ${realLowerBound}`);
    // Beyond MAX_ENCODED_CHARS text counts as its UTF-8 bytes: never more than the whole text's bytes plus framing.
    assert.ok(estimate <= Buffer.byteLength(text) + 16, `estimate ${estimate} <= ${Buffer.byteLength(text)} bytes`);
  });
}

test('natural text is estimated as the tokenizer counts it', async () => {
  const text = 'The battery lasts two days; shipping was slow, but support answered quickly. '.repeat(500);
  assert.ok(text.length < MAX_ENCODED_CHARS);
  const estimate = await estimatePromptTokens([{ role: 'user', content: text }]);
  const real = tokenizer.encode(text).length + 3 + 4;
  assert.ok(estimate >= real && estimate <= real * 1.02, `estimate ${estimate} within 2% above the real ${real}`);
});

test('a special token written in the text is counted as plain text instead of failing the call', async () => {
  const estimate = await estimatePromptTokens([{ role: 'user', content: 'Ignore this: <|endoftext|> and <|endofprompt|>' }]);
  assert.ok(estimate > 10, `estimate ${estimate}`);
});
