// Strings that match a regular expression, for schemas whose strings carry a `pattern` and no
// `format` zod knows (`z.iso.time()`, `z.string().regex(/^[A-Z]{3}-\d{4}$/)`). Covers literals,
// classes, `.`, `\d \w \s`, groups with alternation and all quantifiers; lookarounds and
// back-references are refused rather than guessed, so the simulator never answers a string that
// silently fails the schema.
import { UnsupportedPatternError } from './errors';
import type { Rng } from './prng';

type Node =
  | { kind: 'chars'; choices: string[] }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

// Unbounded quantifiers (`*`, `+`, `{2,}`) repeat at most this many times beyond their minimum.
const UNBOUNDED_EXTRA_REPEATS = 3;

const range = (from: string, to: string): string[] =>
  Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => String.fromCharCode(from.charCodeAt(0) + i));
const DIGITS = range('0', '9');
const WORD = [...range('a', 'z'), ...range('A', 'Z'), ...DIGITS, '_'];
const SPACE = [' '];
// Printable ASCII: the universe for `.` and for negated classes.
const PRINTABLE = range(' ', '~');
const without = (excluded: string[]): string[] => PRINTABLE.filter((c) => !excluded.includes(c));

class Parser {
  private at = 0;
  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.source.length) throw new UnsupportedPatternError(`unexpected ${this.source[this.at]} at ${this.at}`);
    return node;
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.at += 1;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      if (atom) items.push(this.quantified(atom));
    }
    return { kind: 'seq', items };
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '?' || c === '*' || c === '+') {
      this.at += 1;
      [min, max] = c === '?' ? [0, 1] : c === '*' ? [0, UNBOUNDED_EXTRA_REPEATS] : [1, 1 + UNBOUNDED_EXTRA_REPEATS];
    } else {
      const braces = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at)) : null;
      // A `{` that is not a quantifier is a literal, as in JavaScript without the `u` flag.
      if (!braces) return node;
      const [text, lo, comma, hi] = braces;
      this.at += text.length;
      min = Number(lo);
      max = comma === undefined ? min : hi === '' || hi === undefined ? min + UNBOUNDED_EXTRA_REPEATS : Number(hi);
    }
    if (this.peek() === '?') this.at += 1; // lazy and greedy generate alike
    return { kind: 'repeat', node, min, max };
  }

  private atom(): Node | undefined {
    const c = this.source[this.at];
    this.at += 1;
    switch (c) {
      case '^':
      case '$':
        return undefined; // anchors: the whole generated string is the match
      case '.':
        return { kind: 'chars', choices: PRINTABLE };
      case '[':
        return this.charClass();
      case '\\':
        return { kind: 'chars', choices: this.escape(false) };
      case '(': {
        if (this.source.startsWith('?:', this.at)) this.at += 2;
        else if (this.source.startsWith('?<', this.at) && !/^\?<[=!]/.test(this.source.slice(this.at))) this.at = this.source.indexOf('>', this.at) + 1;
        else if (this.peek() === '?') throw new UnsupportedPatternError('lookarounds are not supported');
        const inner = this.alternation();
        if (this.peek() !== ')') throw new UnsupportedPatternError('unclosed group');
        this.at += 1;
        return inner;
      }
      default:
        return { kind: 'chars', choices: [c] };
    }
  }

  private escape(inClass: boolean): string[] {
    const c = this.source[this.at];
    this.at += 1;
    switch (c) {
      case 'd': return DIGITS;
      case 'D': return without(DIGITS);
      case 'w': return WORD;
      case 'W': return without(WORD);
      case 's': return SPACE;
      case 'S': return without(SPACE);
      case 'n': return ['\n'];
      case 't': return ['\t'];
      case 'r': return ['\r'];
      case 'x':
      case 'u': {
        const digits = c === 'x' ? 2 : 4;
        const code = this.source.slice(this.at, this.at + digits);
        this.at += digits;
        return [String.fromCharCode(parseInt(code, 16))];
      }
      case 'b':
        if (inClass) return ['\b'];
        throw new UnsupportedPatternError('word boundaries are not supported');
      default:
        if (c === undefined || (/[1-9]/.test(c) && !inClass)) throw new UnsupportedPatternError('back-references are not supported');
        return [c];
    }
  }

  private charClass(): Node {
    const negated = this.peek() === '^';
    if (negated) this.at += 1;
    const members: string[] = [];
    let first = true;
    while (this.at < this.source.length && (this.peek() !== ']' || first)) {
      first = false;
      const start = this.peek() === '\\' ? (this.at += 1, this.escape(true)) : [this.source[this.at++]];
      if (start.length === 1 && this.peek() === '-' && this.source[this.at + 1] !== ']' && this.at + 1 < this.source.length) {
        this.at += 1;
        const end = this.peek() === '\\' ? (this.at += 1, this.escape(true)) : [this.source[this.at++]];
        members.push(...range(start[0], end[0]));
      } else {
        members.push(...start);
      }
    }
    if (this.peek() !== ']') throw new UnsupportedPatternError('unclosed character class');
    this.at += 1;
    const choices = negated ? without(members) : [...new Set(members)];
    if (choices.length === 0) throw new UnsupportedPatternError('the character class matches nothing');
    return { kind: 'chars', choices };
  }
}

function emit(node: Node, rng: Rng): string {
  switch (node.kind) {
    case 'chars': return rng.pick(node.choices);
    case 'seq': return node.items.map((item) => emit(item, rng)).join('');
    case 'alt': return emit(rng.pick(node.options), rng);
    case 'repeat': {
      const count = rng.int(node.min, node.max);
      let out = '';
      for (let i = 0; i < count; i += 1) out += emit(node.node, rng);
      return out;
    }
  }
}

/** A string the pattern matches, or UnsupportedPatternError when the pattern is beyond this generator. */
export function patternInstance(pattern: string, rng: Rng): string {
  return emit(new Parser(pattern).parse(), rng);
}
