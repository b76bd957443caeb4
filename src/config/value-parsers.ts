/**
 * Parsers for the text values of environment variables and command-line flags. Each returns the
 * parsed value or throws an {@link InvalidValue} whose message says what was expected; the
 * callers decide what an invalid value means (a warning and a default for `register`, exit
 * code 2 for the CLI), so the wording of every complaint lives in one place.
 */

/** A value that does not parse; `message` completes "<name>=<value> is invalid: ...". */
export class InvalidValue extends Error {
  override readonly name = 'InvalidValue';
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** A TCP port 1-65535; `allowZero` admits 0 ("any free port", for tests and sidecars). */
export function parsePort(text: string, { allowZero = false } = {}): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (isPort(n) || (allowZero && n === 0)) return n;
  throw new InvalidValue(`expected a port number${allowZero ? ' 0-65535' : ' 1-65535'}`);
}

/** A whole number > 0 (OTEL_* intervals and sizes are integers in milliseconds or items). */
export function parsePositiveInteger(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (Number.isSafeInteger(n) && n > 0) return n;
  throw new InvalidValue('expected a whole number greater than 0');
}

/** A whole number >= 0 (a limit where 0 turns the thing off). */
export function parseNonNegativeInteger(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (Number.isSafeInteger(n)) return n;
  throw new InvalidValue('expected a whole number, 0 or more');
}

/** A ratio in [0, 1] (OTEL_TRACES_SAMPLER_ARG). */
export function parseRatio(text: string): number {
  const n = text.trim() === '' ? NaN : Number(text);
  if (Number.isFinite(n) && n >= 0 && n <= 1) return n;
  throw new InvalidValue('expected a number from 0 to 1');
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`, any case), as OTel's boolean variables. */
export function parseBoolean(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new InvalidValue('expected true or false');
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A duration in Go/Prometheus style: `500ms`, `15s`, `1m`, `1m30s`. A bare number is refused
 * rather than guessed: `15` could mean seconds or milliseconds depending on the tool.
 */
export function parseDuration(text: string): number {
  const value = text.trim();
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(value)
    ? [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)]
    : [];
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNITS_MS[unit!]!, 0);
  if (parts.length === 0 || !Number.isFinite(ms)) {
    throw new InvalidValue('expected a duration such as 500ms, 15s, 1m or 1m30s');
  }
  return Math.round(ms);
}

/** A duration as {@link parseDuration} takes it, or a bare `0`: zero needs no unit. */
export function parseDurationOrZero(text: string): number {
  return text.trim() === '0' ? 0 : parseDuration(text);
}

/** A regular expression (compiled to match whole names, as the collectors do). */
export function parseRegex(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new InvalidValue(`not a regular expression (${(error as Error).message})`);
  }
}

/** An absolute http(s) URL. */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InvalidValue('expected an absolute URL such as http://collector:4318');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidValue('expected an http:// or https:// URL');
  }
  return url;
}

/** One of a fixed set of words (compared lower-case). */
export function parseChoice<T extends string>(text: string, allowed: readonly T[]): T {
  const value = text.trim().toLowerCase();
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new InvalidValue(`expected one of ${allowed.join(', ')}`);
  return found;
}

/**
 * A setting's text as messages may quote it: any `user:password@` of a URL in it taken out, so
 * that a refused URL never prints the credentials it held.
 */
export function withoutUrlCredentials(text: string): string {
  // Up to the last `@` of each URL: a password may hold `/`, `:` or `#`.
  return text.replace(/\/\/[^\s]*@/g, '//');
}
