import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import type { SdkSettings } from '../config/sdk-settings';

/**
 * The sampler OTEL_TRACES_SAMPLER(_ARG) names. Built here rather than left to NodeSDK so that an
 * invalid name or ratio has already produced a visible warning and a known default.
 */
export function createSampler({ name, ratio }: SdkSettings['sampler']): Sampler {
  const root = (base: string): Sampler => {
    if (base === 'always_off') return new AlwaysOffSampler();
    if (base === 'traceidratio') return new TraceIdRatioBasedSampler(ratio);
    return new AlwaysOnSampler();
  };
  if (name.startsWith('parentbased_')) {
    return new ParentBasedSampler({ root: root(name.slice('parentbased_'.length)) });
  }
  return root(name);
}
