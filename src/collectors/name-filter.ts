/**
 * Which topics or groups a collector reports: a regular expression (or its source string) that
 * must match the whole name, or an exact list. Validated when the collector is built, so a bad
 * pattern is a clear error at start, not a silent empty dashboard.
 */
export type NameFilterSpec = RegExp | string | readonly string[];

export type NameFilter = (name: string) => boolean;

/** Builds the filter; undefined matches everything. Throws a TypeError naming the option. */
export function nameFilter(option: string, spec: NameFilterSpec | undefined): NameFilter {
  if (spec === undefined) return () => true;
  if (Array.isArray(spec)) {
    const names = new Set(spec as readonly string[]);
    return (name) => names.has(name);
  }
  if (spec instanceof RegExp || typeof spec === 'string') {
    const source = spec instanceof RegExp ? spec.source : spec;
    const flags = spec instanceof RegExp ? spec.flags.replace(/[gy]/g, '') : '';
    let pattern: RegExp;
    try {
      // Anchored like kafka_exporter's and KMinion's filters: `orders` does not match `orders-dlq`.
      pattern = new RegExp(`^(?:${source})$`, flags);
    } catch (error) {
      throw new TypeError(
        `${option}: '${source}' is not a valid regular expression (${(error as Error).message})`,
        { cause: error },
      );
    }
    return (name) => pattern.test(name);
  }
  throw new TypeError(`${option} must be a RegExp, a pattern string or an array of names`);
}
