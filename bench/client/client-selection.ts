/**
 * `--client`: which client libraries a client bench measures. KafkaJS alone stays the default
 * (what the bench measured before the Confluent client existed, and what needs no C toolchain);
 * the Confluent client's variants need its cached install (scripts/confluent-client).
 */
import { CONFLUENT_VARIANTS, KAFKAJS_VARIANTS, type Variant } from './run-contract';

export const CLIENT_SELECTIONS = ['kafkajs', 'confluent', 'all'] as const;
export type ClientSelection = (typeof CLIENT_SELECTIONS)[number];

export const DEFAULT_CLIENT_SELECTION: ClientSelection = 'kafkajs';

/** The variants a selection offers, in their canonical order. */
export function variantsOf(selection: ClientSelection): readonly Variant[] {
  switch (selection) {
    case 'kafkajs':
      return KAFKAJS_VARIANTS;
    case 'confluent':
      return CONFLUENT_VARIANTS;
    case 'all':
      return [...KAFKAJS_VARIANTS, ...CONFLUENT_VARIANTS];
  }
}

/**
 * The docs/benchmarks.md section a selection writes: KafkaJS keeps the section it always had,
 * the others get their own, so a Confluent run never replaces the published KafkaJS figures.
 */
export function reportSectionOf(selection: ClientSelection): string {
  return selection === 'kafkajs' ? 'client' : `client:${selection}`;
}
