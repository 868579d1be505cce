// Progress lines for people watching a stack start (tool builds take minutes on a fresh machine).

export type StackLog = (line: string) => void;

/** Default progress sink: stderr, so stdout stays free for a command's real output. */
export const stderrLog: StackLog = (line) => {
  process.stderr.write(`[stack] ${line}\n`);
};
