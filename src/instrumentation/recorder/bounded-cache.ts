/**
 * Values built once per distinct key: the attribute objects and pending sums of each metric
 * series. Recording with the same attribute object every time keeps allocations off the hot path.
 *
 * Bounded: past `limit` entries nothing new is cached. The value is still built and correct, only
 * rebuilt on every call, so a runaway number of topics or groups costs time, never memory.
 */
export class BoundedCache<Value> {
  private readonly entries = new Map<string, Value>();

  constructor(private readonly limit = 10_000) {}

  get(key: string, build: () => Value): Value {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const value = build();
    if (this.entries.size < this.limit) this.entries.set(key, value);
    return value;
  }
}
