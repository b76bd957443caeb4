/**
 * Compares the attribute keys a metric declares (the ones docs/metrics.md lists) with the keys
 * its exported points carry.
 */
import type { MetricData } from '@opentelemetry/sdk-metrics';

/** A metric's declared attribute keys: those on every point, and those on some points only. */
export interface DeclaredKeys {
  name: string;
  always: readonly string[];
  conditional: readonly string[];
}

/** What the points of one metric carried, in the shape of a declaration. */
export interface EmittedKeys {
  name: string;
  /** Keys on every point. */
  always: string[];
  /** Keys on some points but not all. */
  conditional: string[];
}

/**
 * The keys the points of each declared metric carried. A metric without points reads as
 * `points: 0` so a test whose events miss a metric fails rather than passing on nothing.
 */
export function emittedKeys(
  declared: readonly DeclaredKeys[],
  metrics: readonly MetricData[],
): (EmittedKeys | { name: string; points: 0 })[] {
  return declared.map(({ name }) => {
    const points = metrics
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) => metric.dataPoints as { attributes: Record<string, unknown> }[]);
    if (points.length === 0) return { name, points: 0 };
    const keySets = points.map((point) => new Set(Object.keys(point.attributes)));
    const union = [...new Set(keySets.flatMap((keys) => [...keys]))].sort();
    const always = union.filter((key) => keySets.every((keys) => keys.has(key)));
    return { name, always, conditional: union.filter((key) => !always.includes(key)) };
  });
}

/** A declaration sorted as `emittedKeys` sorts, for a `toEqual` between the two. */
export function sortedDeclaration({ name, always, conditional }: DeclaredKeys): EmittedKeys {
  return { name, always: [...always].sort(), conditional: [...conditional].sort() };
}
