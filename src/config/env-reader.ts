import { InvalidValue, withoutUrlCredentials } from './value-parsers';

/** Environment variables as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Receives one line per problem found in the environment. */
export type WarningSink = (message: string) => void;

/**
 * Reads configuration from environment variables and never throws: a value that does not parse
 * produces exactly one warning naming the variable, the value, what was expected and the default
 * used instead. An empty or blank variable counts as unset, as the OpenTelemetry spec requires.
 */
export class EnvReader {
  private readonly warned = new Set<string>();

  constructor(
    private readonly env: Environment,
    private readonly warn: WarningSink,
  ) {}

  /** The trimmed value, or undefined when unset or blank. */
  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** The first of `names` that is set (not blank), in the order given. */
  firstSet(names: readonly string[]): string | undefined {
    return names.find((name) => this.string(name) !== undefined);
  }

  /**
   * The parsed value; `fallback` when unset; `fallback` and a warning when `parse` throws an
   * {@link InvalidValue}. `fallbackText` describes the default in that warning.
   */
  parsed<T>(name: string, parse: (text: string) => T, fallback: T, fallbackText?: string): T {
    const text = this.string(name);
    if (text === undefined) return fallback;
    try {
      return parse(text);
    } catch (error) {
      const reason = error instanceof InvalidValue ? error.message : String(error);
      const using =
        fallbackText ?? (fallback === undefined ? 'ignoring it' : `using ${String(fallback)}`);
      this.complain(
        name,
        `${name}='${withoutUrlCredentials(text)}' is invalid: ${reason}; ${using}`,
      );
      return fallback;
    }
  }

  /**
   * A comma-separated list of words from `allowed` (lower-cased, de-duplicated). Unknown words
   * are dropped with one warning; when nothing valid remains, `fallback` is used.
   */
  words<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
    const text = this.string(name);
    if (text === undefined) return [...fallback];
    const given = [...new Set(text.split(',').map((w) => w.trim().toLowerCase()))].filter(
      (w) => w !== '',
    );
    const known = given.filter((w): w is T => (allowed as readonly string[]).includes(w));
    const unknown = given.filter((w) => !(allowed as readonly string[]).includes(w));
    const result = known.length > 0 ? known : [...fallback];
    if (unknown.length > 0) {
      this.complain(
        name,
        `${name}='${text}': ${unknown.map((w) => `'${w}'`).join(', ')} not supported ` +
          `(expected ${allowed.join(', ')}); using ${result.join(',') || 'none'}`,
      );
    }
    return result;
  }

  /** Warns about a variable once, however often it is read. */
  complain(name: string, message: string): void {
    if (this.warned.has(name)) return;
    this.warned.add(name);
    this.warn(message);
  }
}
