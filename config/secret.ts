// A secret value (a password, a private key, an API key) that cannot leak by accident: logging the
// configuration, JSON-encoding it or printing it with util.inspect shows "[secret]". Only the code that
// hands it to a client calls reveal().
import { inspect } from 'node:util';

export class Secret<T extends string | Buffer = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}
