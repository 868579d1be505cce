// How a failed command speaks to its user: the project's typed errors already say what failed, with
// the IDs, and how to fix it, so they print as their message alone. Anything else is a failure we did
// not foresee: its message, and how to see where it came from (KTA_DEBUG=1 prints the stack).
import * as projectErrors from '../errors';
import * as simulatorErrors from '../dev/llm-simulator/errors';
import * as stackErrors from '../dev/stack/errors';

const TYPED: Function[] = [projectErrors, simulatorErrors, stackErrors].flatMap((m) => Object.values(m).filter((v): v is Function => typeof v === 'function' && v.prototype instanceof Error));

export const isTypedError = (err: unknown): err is Error => TYPED.some((c) => err instanceof c);

/** The one or two lines to print for `err`; the stack only when `debug` is set. */
export function failureText(err: unknown, debug: boolean): string {
  if (debug) return err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (isTypedError(err)) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return `kta failed: ${message}\n(an unexpected error; run it again with KTA_DEBUG=1 to see where it came from)`;
}
