// Fixture replay for reproducible demos: a map from prompt hash to what the "model" answers that
// prompt, one answer or a list used in order. A prompt without a fixture is answered by the
// generator as usual, and fixture answers take no number in the answer sequence, so adding a
// fixture never changes the answers to other prompts.
import { readFile } from 'node:fs/promises';
import { LlmSimulatorFixtureError } from './errors';
import type { Answer, AnswerPlan } from './model-call';

/**
 * A string is the content (for a request that forces a tool call: the call's arguments, as JSON
 * text, to the named tool or the first forced one); an object is a tool call.
 */
export type FixtureAnswer = string | { toolName: string; arguments: string | Record<string, unknown> };
export type Fixtures = Record<string, FixtureAnswer | FixtureAnswer[]>;

const INLINE = '(the fixtures option)';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkAnswer(value: unknown, where: string, source: string): FixtureAnswer {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.toolName === 'string' && (typeof value.arguments === 'string' || isObject(value.arguments))) {
    return { toolName: value.toolName, arguments: value.arguments };
  }
  throw new LlmSimulatorFixtureError(source, `${where} is ${JSON.stringify(value)}; use a string or { "toolName": "...", "arguments": "{...}" }`);
}

/** Checks a fixture map, read from a JSON file when given a path. */
export async function loadFixtures(source: string | Fixtures): Promise<Fixtures> {
  let raw: unknown = source;
  const name = typeof source === 'string' ? source : INLINE;
  if (typeof source === 'string') {
    try {
      raw = JSON.parse(await readFile(source, 'utf8')) as unknown;
    } catch (error) {
      throw new LlmSimulatorFixtureError(source, `cannot be read as JSON (${(error as Error).message}); write a JSON object from prompt hash to answer`, { cause: error });
    }
  }
  if (!isObject(raw)) throw new LlmSimulatorFixtureError(name, 'is not a JSON object from prompt hash to answer');
  const out: Fixtures = {};
  for (const [hash, value] of Object.entries(raw)) {
    if (Array.isArray(value)) {
      if (value.length === 0) throw new LlmSimulatorFixtureError(name, `the list for ${hash} is empty; give at least one answer or drop the entry`);
      out[hash] = value.map((item, index) => checkAnswer(item, `${hash}[${index}]`, name));
    } else {
      out[hash] = checkAnswer(value, hash, name);
    }
  }
  return out;
}

/** Hands out the fixture answers of each prompt in order; once a list is used up its last answer repeats. */
export class FixtureBook {
  private readonly used = new Map<string, number>();

  constructor(private readonly fixtures: Fixtures) {}

  next(hash: string): FixtureAnswer | undefined {
    if (!Object.hasOwn(this.fixtures, hash)) return undefined;
    const entry = this.fixtures[hash];
    if (!Array.isArray(entry)) return entry;
    const index = this.used.get(hash) ?? 0;
    this.used.set(hash, index + 1);
    return entry[Math.min(index, entry.length - 1)];
  }

  reset(): void {
    this.used.clear();
  }
}

export function fixtureAsAnswer(fixture: FixtureAnswer, plan: AnswerPlan): Answer {
  if (typeof fixture !== 'string') {
    const args = typeof fixture.arguments === 'string' ? fixture.arguments : JSON.stringify(fixture.arguments);
    return { kind: 'tool-call', toolName: fixture.toolName, arguments: args };
  }
  const [tool] = plan.forcedTools;
  return tool ? { kind: 'tool-call', toolName: tool.name, arguments: fixture } : { kind: 'text', text: fixture };
}

export function answerAsFixture(answer: Answer): FixtureAnswer {
  return answer.kind === 'text' ? answer.text : { toolName: answer.toolName, arguments: answer.arguments };
}
