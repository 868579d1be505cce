// Strings for the JSON schema generator: a `format` gets a value of that format, a `pattern` a
// string it matches, anything else review words, where the property name decides between a short
// label and a sentence, so a `summary` reads like a summary and each of the `tags` like a tag.
import { UnsatisfiableSchemaError, UnsupportedPatternError } from './errors';
import { patternInstance } from './pattern-instance';
import type { Rng } from './prng';
import { REVIEW_ADJECTIVES, REVIEW_NOUNS, reviewParagraph, reviewWords } from './review-text';

export interface StringConstraints {
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

// Formats and patterns are drawn whole; this many draws are tried before the length bounds or the
// pattern are declared out of reach.
const STRING_ATTEMPTS = 20;

// Property names that hold prose rather than a label.
const PROSE_HINT = /summary|reason|answer|explanation|description|comment|reply|message|text|rationale|body|response|content|note|feedback/i;
// Property names whose values are single-word labels.
const LABEL_HINT = /tag|label|categor|keyword|topic|aspect/i;

// Timestamps fall in a fixed two-year window so dates look plausible and stay seed-reproducible.
const DATE_WINDOW_START_MS = Date.UTC(2024, 0, 1);
const DATE_WINDOW_LENGTH_MS = 2 * 365 * 24 * 60 * 60 * 1000;

function hex(rng: Rng, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i += 1) out += rng.int(0, 15).toString(16);
  return out;
}

function formatted(format: string, rng: Rng): string | undefined {
  const noun = (): string => rng.pick(REVIEW_NOUNS);
  const timestamp = (): Date => new Date(DATE_WINDOW_START_MS + rng.int(0, DATE_WINDOW_LENGTH_MS / 1000) * 1000);
  switch (format) {
    case 'email':
    case 'idn-email':
      return `${noun()}.${rng.pick(REVIEW_ADJECTIVES)}@example.com`;
    case 'uuid':
      // Version 4 layout with the RFC 4122 variant, which every uuid validator accepts.
      return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${rng.pick(['8', '9', 'a', 'b'])}${hex(rng, 3)}-${hex(rng, 12)}`;
    case 'date-time':
      return timestamp().toISOString();
    case 'date':
      return timestamp().toISOString().slice(0, 10);
    case 'time':
      return timestamp().toISOString().slice(11, 19);
    case 'duration':
      return `P${rng.int(1, 30)}D`;
    case 'uri':
    case 'url':
    case 'iri':
      return `https://example.com/${noun()}/${rng.int(1, 9999)}`;
    case 'hostname':
    case 'idn-hostname':
      return `${noun()}.example.com`;
    case 'ipv4':
      return [rng.int(1, 223), rng.int(0, 255), rng.int(0, 255), rng.int(1, 254)].join('.');
    case 'ipv6':
      return Array.from({ length: 8 }, () => hex(rng, 4)).join(':');
    default:
      return undefined;
  }
}

// Pads with more words or cuts to fit the length bounds; a cut that would end on a space is joined
// with hyphens instead, so the result never drops back under `minLength`.
function fitLength(text: string, min: number, max: number, rng: Rng): string {
  let out = text;
  while (out.length < min) out = out ? `${out} ${reviewWords(rng)}` : reviewWords(rng);
  if (out.length <= max) return out;
  const cut = out.slice(0, max).trimEnd();
  return cut.length >= min ? cut : out.slice(0, max).replace(/\s/g, '-');
}

function compilePattern(pattern: string | undefined, instancePath: string): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new UnsatisfiableSchemaError(instancePath, `pattern ${pattern} is not a valid regular expression (${(error as Error).message})`);
  }
}

function candidate(c: StringConstraints, regex: RegExp | undefined, hint: string, rng: Rng, min: number, max: number): string {
  const asFormat = c.format === undefined ? undefined : formatted(c.format, rng);
  if (asFormat !== undefined && (regex === undefined || regex.test(asFormat))) return asFormat;
  if (c.pattern !== undefined) return patternInstance(c.pattern, rng);
  if (asFormat !== undefined) return asFormat;
  let text: string;
  if (PROSE_HINT.test(hint)) text = reviewParagraph(rng);
  else if (LABEL_HINT.test(hint)) text = reviewWords(rng, 1);
  else text = reviewWords(rng, 2);
  return fitLength(text, min, max, rng);
}

export function stringInstance(constraints: StringConstraints, hint: string, rng: Rng, instancePath: string): string {
  const min = Math.max(0, constraints.minLength ?? 0);
  const max = constraints.maxLength ?? Number.POSITIVE_INFINITY;
  if (min > max) throw new UnsatisfiableSchemaError(instancePath, `minLength ${min} exceeds maxLength ${max}`);
  const regex = compilePattern(constraints.pattern, instancePath);

  for (let attempt = 0; attempt < STRING_ATTEMPTS; attempt += 1) {
    let text: string;
    try {
      text = candidate(constraints, regex, hint, rng, min, max);
    } catch (error) {
      if (!(error instanceof UnsupportedPatternError)) throw error;
      throw new UnsatisfiableSchemaError(instancePath, `pattern ${constraints.pattern} is beyond the simulator: ${error.message}`);
    }
    if (text.length >= min && text.length <= max && (regex === undefined || regex.test(text))) return text;
  }
  const wanted = [constraints.format && `format ${constraints.format}`, constraints.pattern && `pattern ${constraints.pattern}`].filter(Boolean).join(' and ');
  throw new UnsatisfiableSchemaError(instancePath, `no string of ${wanted || 'words'} with length ${min} to ${max} was found`);
}
