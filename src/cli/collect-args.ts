import type { Environment } from '../config/env-reader';
import { settingVariables, type Setting } from '../config/setting';
import { withoutUrlCredentials } from '../config/value-parsers';
import { FLAGS_BY_NAME } from './collect-flags';
import { UsageError } from './usage-error';

/** A setting as given: its text (or a switch's value) and where it came from, for messages. */
export interface GivenValue<T = string> {
  value: T;
  /** `--flag` or the variable's name. */
  source: string;
  fromFlag: boolean;
}

/**
 * The flags of one `kafka-otel collect` command line, with the environment behind them: a flag
 * wins over its variables, the canonical variable over its aliases; a blank variable counts as
 * unset.
 */
export class CollectArgs {
  private constructor(
    private readonly flags: ReadonlyMap<string, string | boolean>,
    private readonly env: Environment,
    /** --help was given. */
    readonly help: boolean,
  ) {}

  /** Splits argv into flags; throws {@link UsageError} for unknown, repeated or malformed ones. */
  static parse(argv: readonly string[], env: Environment): CollectArgs {
    const flags = new Map<string, string | boolean>();
    let help = false;
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i]!;
      if (token === '--help' || token === '-h') {
        help = true;
        continue;
      }
      if (!token.startsWith('--')) throw new UsageError(`unexpected argument '${token}'`);
      const eq = token.indexOf('=');
      const name = token.slice(2, eq === -1 ? undefined : eq);
      const setting = FLAGS_BY_NAME.get(name);
      if (setting === undefined) throw new UsageError(`unknown flag '--${name}'`);
      if (flags.has(name)) throw new UsageError(`--${name} is given twice`);
      if (setting.sets !== undefined) {
        if (eq !== -1) throw new UsageError(`--${name} takes no value`);
        flags.set(name, setting.sets);
        continue;
      }
      let value: string | undefined;
      if (eq !== -1) {
        value = token.slice(eq + 1);
      } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
        value = argv[++i];
      }
      if (value === undefined || value.trim() === '') {
        throw new UsageError(`--${name} needs a value (${setting.arg ?? 'VALUE'})`);
      }
      flags.set(name, value);
    }
    return new CollectArgs(flags, env, help);
  }

  /** The text of a setting: its flag's value, or else its first variable that is set. */
  text(setting: Setting): GivenValue | undefined {
    const given = setting.flag === undefined ? undefined : this.flags.get(setting.flag);
    if (typeof given === 'string') {
      return { value: given, source: `--${setting.flag}`, fromFlag: true };
    }
    for (const name of settingVariables(setting)) {
      const fromEnv = this.env[name]?.trim();
      if (fromEnv !== undefined && fromEnv !== '') {
        return { value: fromEnv, source: name, fromFlag: false };
      }
    }
    return undefined;
  }

  /** The value of a switch (its variables hold true/false). */
  switch(setting: Setting<boolean>): GivenValue<boolean> | undefined {
    const given = setting.flag === undefined ? undefined : this.flags.get(setting.flag);
    if (typeof given === 'boolean') {
      return { value: given, source: `--${setting.flag}`, fromFlag: true };
    }
    const fromEnv = this.text(setting);
    return fromEnv && { ...fromEnv, value: convert(fromEnv, setting.parse) };
  }

  /** A variable that is not a setting's (the SASL password lives in one the user may name). */
  variable(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }
}

/**
 * Parses a given value; a parser's complaint becomes "invalid <source> '<value>': <why>", the
 * value quoted without any credentials a URL in it held.
 */
export function convert<T>(given: GivenValue, parse: (text: string) => T): T {
  try {
    return parse(given.value);
  } catch (error) {
    const shown = withoutUrlCredentials(given.value);
    throw new UsageError(`invalid ${given.source} '${shown}': ${(error as Error).message}`);
  }
}
