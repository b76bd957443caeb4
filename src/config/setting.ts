/**
 * One entry of a settings table: everything about a setting that `register`, the CLI, `--help`
 * and the docs need, as plain data, so that none of them spells or explains it on its own.
 */
export interface Setting<T = unknown> {
  /** What the setting sets: the collector option of that name, or the CLI's own (`interval`). */
  readonly name: string;
  /** The canonical environment variable. */
  readonly env: string;
  /** Other spellings that are still read; when several are set, {@link env} wins. */
  readonly aliases: readonly string[];
  /** The `kafka-otel collect` flag, without dashes; absent for a variable-only setting. */
  readonly flag?: string;
  /** Placeholder of a value flag's argument in `--help`; absent for a switch. */
  readonly arg?: string;
  /** For a switch (a flag without a value): the value it sets. Its variable holds true/false. */
  readonly sets?: boolean;
  /** Turns the text of the flag or variable into the value; throws InvalidValue. */
  readonly parse: (text: string) => T;
  /** The value when nothing is given; undefined leaves it to the component's own default. */
  readonly default?: T;
  /** The default as the docs state it ('' for none). */
  readonly defaultText: string;
  /** One line for `--help` and the docs; `code` in backquotes. */
  readonly help: string;
  /** True when `register` reads it too (for its in-process collector), not only the CLI. */
  readonly register: boolean;
}

/** The variables of a setting, in the order they are looked at: canonical first. */
export function settingVariables(setting: Setting): readonly string[] {
  return [setting.env, ...setting.aliases];
}
