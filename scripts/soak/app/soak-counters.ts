/** The app's running totals: messages through the producers and handlers, failures by kind. */
export class SoakCounters {
  sent = 0;
  consumed = 0;
  private readonly errorCounts = new Map<string, number>();
  private readonly lastErrorMessages = new Map<string, string>();

  /**
   * Counts one failure of `kind`. The kinds are a fixed set named in the code, so both maps stay
   * as small as that set however long the app runs.
   */
  error(kind: string, error?: unknown): void {
    this.errorCounts.set(kind, (this.errorCounts.get(kind) ?? 0) + 1);
    if (error !== undefined) {
      const message =
        error instanceof Error
          ? `${error.name}: ${error.message}`
          : typeof error === 'string'
            ? error
            : JSON.stringify(error);
      this.lastErrorMessages.set(kind, message.slice(0, 300));
    }
  }

  get errors(): Record<string, number> {
    return Object.fromEntries(this.errorCounts);
  }

  get lastErrors(): Record<string, string> {
    return Object.fromEntries(this.lastErrorMessages);
  }
}
