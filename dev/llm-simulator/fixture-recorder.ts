// Record mode: keeps every clean answer (generated or replayed, never a fault) by prompt hash and
// writes them as a fixtures file when the simulator closes, so one run of the demo can be replayed
// answer for answer by later runs. Resets do not clear it: it covers the simulator's whole life.
import { rename, writeFile } from 'node:fs/promises';
import { LlmSimulatorFixtureError } from './errors';
import { answerAsFixture, type FixtureAnswer, type Fixtures } from './fixtures';
import type { Answer } from './model-call';

export class FixtureRecorder {
  private readonly answers = new Map<string, FixtureAnswer[]>();

  constructor(readonly path: string) {}

  add(promptHash: string, answer: Answer): void {
    const list = this.answers.get(promptHash) ?? [];
    list.push(answerAsFixture(answer));
    this.answers.set(promptHash, list);
  }

  /** One answer per prompt stays a single value; several become a list, in the order they were given. */
  fixtures(): Fixtures {
    return Object.fromEntries([...this.answers].map(([hash, list]) => [hash, list.length === 1 ? list[0] : [...list]]));
  }

  /** Writes through a temporary file, so a crash mid-write never leaves half a fixtures file. */
  async write(): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(this.fixtures(), null, 2)}\n`);
      await rename(temporary, this.path);
    } catch (error) {
      throw new LlmSimulatorFixtureError(this.path, `cannot be written (${(error as Error).message}); check the record path`, { cause: error });
    }
  }
}
