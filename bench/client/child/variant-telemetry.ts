import { telemetryOf, type Scenario, type Variant } from '../run-contract';

/** What a variant's telemetry shows at the end of a run, checked against what the run did. */
export interface TelemetryOutcome {
  spansExported: number | undefined;
  messageCounterTotal: number | undefined;
}

/** The OpenTelemetry set-up of one variant inside the child. */
export interface VariantTelemetry {
  /**
   * Collects and flushes what the run recorded and throws when it does not match `messages`
   * (a broken instrumentation must never yield benchmark figures).
   */
  verify(scenario: Scenario, messages: number): Promise<TelemetryOutcome>;
  shutdown(): Promise<void>;
}

const BARE: VariantTelemetry = {
  verify: () => Promise.resolve({ spansExported: undefined, messageCounterTotal: undefined }),
  shutdown: () => Promise.resolve(),
};

/**
 * Sets up the variant's telemetry; call it before the client is first required, since the
 * instrumentations patch it as it loads. The bare variants load no OpenTelemetry module at all:
 * the SDK module is imported only for the other variants.
 */
export async function setUpVariantTelemetry(
  variant: Variant,
  kafkaOtelEntry: string,
): Promise<VariantTelemetry> {
  if (telemetryOf(variant) === 'none') return BARE;
  const { setUpOpenTelemetry } = await import('./opentelemetry-setup');
  return setUpOpenTelemetry(variant, kafkaOtelEntry);
}

/** Paths of loaded OpenTelemetry modules: proof that a bare variant stayed bare. */
export function loadedOpenTelemetryModules(): string[] {
  return Object.keys(require.cache).filter((file) => /[\\/]@opentelemetry[\\/]/.test(file));
}
