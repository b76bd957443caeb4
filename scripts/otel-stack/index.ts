/**
 * Programmatic API of the real pipeline components (OpenTelemetry Collector, Jaeger v2,
 * Prometheus), used by the CLI (`npm run otel-stack`) and the e2e global setup.
 */
export type { BuiltBinary } from './build-cache';
export { buildStack, type StackBinaries } from './build';
export {
  ensureBuilder,
  ensureCollector,
  manifestProblems,
  validateCollectorConfig,
} from './collector-build';
export { OtelStackError, UsageError, InterruptedError } from './errors';
export { ensureJaeger } from './jaeger-build';
export { BUILDER_MANIFEST, COLLECTOR_CONFIG, JAEGER_CONFIG, stackCacheRoot } from './paths';
export { DEFAULT_STACK_BASE_PORT, freeSidePort, stackPorts, type StackPorts } from './ports';
export { parseScrapeTarget, type ScrapeTarget } from './prometheus-config';
export { ensurePrometheus } from './prometheus-install';
export { setRuleFiles, setScrapeTargets } from './prometheus-reload';
export { DEFAULT_STACK, stackUrls, type StackUrls } from './stack-state';
export { startStack, type StackInfo, type StartStackOptions } from './stack-start';
export { stackStatus, type StackStatus } from './stack-status';
export { stopStack, type StopReport } from './stack-stop';
export * from './versions';
