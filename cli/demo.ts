// `kta demo`: runs the demo (dev/demo.ts) and prints its progress on stderr and its one JSON line of
// counts on stdout.
import { runDemo, type DemoOptions } from '../dev/demo';

export async function demoCommand(opts: DemoOptions): Promise<void> {
  await runDemo(opts, {
    say: (line) => console.error(`[demo] ${line}`),
    summary: (summary) => console.log(JSON.stringify(summary)),
  });
}
