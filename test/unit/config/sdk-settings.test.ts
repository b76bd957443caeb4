import { describe, expect, it } from 'vitest';
import { EnvReader } from '../../../src/config/env-reader';
import { createSampler } from '../../../src/sdk/sampler';
import { isSdkDisabled, readSdkSettings, type SdkSettings } from '../../../src/config/sdk-settings';

function read(env: Record<string, string>): { settings: SdkSettings; warnings: string[] } {
  const warnings: string[] = [];
  const settings = readSdkSettings(new EnvReader(env, (m) => warnings.push(m)));
  return { settings, warnings };
}

describe('register settings from OTEL_* variables', () => {
  it('uses the spec defaults when nothing is set', () => {
    const { settings, warnings } = read({});
    expect(warnings).toEqual([]);
    expect(settings).toEqual({
      traces: {
        exporters: ['otlp'],
        otlp: { protocol: 'http/protobuf', url: 'http://localhost:4318/v1/traces' },
        batch: {},
      },
      metrics: {
        exporters: ['otlp'],
        otlp: { protocol: 'http/protobuf', url: 'http://localhost:4318/v1/metrics' },
        intervalMs: 60_000,
        timeoutMs: 30_000,
      },
      prometheus: { host: undefined, port: 9464 },
      sampler: { name: 'parentbased_always_on', ratio: 1 },
      instrumentations: ['http', 'kafkajs', 'confluent-kafka', 'runtime-node'],
      kafkajs: {},
      confluent: {},
    });
  });

  it('reads exporters, protocols, endpoints, intervals, Prometheus and batch settings', () => {
    const { settings, warnings } = read({
      OTEL_TRACES_EXPORTER: 'console, otlp',
      OTEL_METRICS_EXPORTER: 'prometheus,console',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:4318/custom',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      OTEL_METRIC_EXPORT_TIMEOUT: '9000',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9400',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64',
    });
    expect(warnings).toEqual([]);
    expect(settings.traces.exporters).toEqual(['console', 'otlp']);
    // gRPC takes the general endpoint as is; HTTP would append /v1/<signal>.
    expect(settings.traces.otlp).toEqual({ protocol: 'grpc', url: 'http://collector:4317/' });
    expect(settings.traces.batch).toEqual({ scheduledDelayMillis: 200, maxExportBatchSize: 64 });
    expect(settings.metrics).toEqual({
      exporters: ['prometheus', 'console'],
      otlp: { protocol: 'http/json', url: 'http://metrics:4318/custom' },
      intervalMs: 5000,
      // Clamped: the SDK refuses a timeout longer than the interval.
      timeoutMs: 5000,
    });
    expect(settings.prometheus).toEqual({ host: '127.0.0.1', port: 9400 });
  });

  it('appends /v1/<signal> to the general HTTP endpoint', () => {
    const { settings } = read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/base/' });
    expect(settings.traces.otlp.url).toBe('https://otel.example/base/v1/traces');
    expect(settings.metrics.otlp.url).toBe('https://otel.example/base/v1/metrics');
  });

  it("treats 'none' as no exporter and blank values as unset", () => {
    const { settings, warnings } = read({
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: '  ',
    });
    expect(settings.traces.exporters).toEqual([]);
    expect(settings.metrics.exporters).toEqual(['otlp']);
    expect(warnings).toEqual([]);
  });

  it('gives one warning per invalid variable and uses the default', () => {
    const { settings, warnings } = read({
      OTEL_TRACES_EXPORTER: 'jaeger',
      OTEL_METRICS_EXPORTER: 'bogus,prometheus',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'localhost:4318',
      OTEL_METRIC_EXPORT_INTERVAL: 'abc',
      OTEL_METRIC_EXPORT_TIMEOUT: '-1',
      OTEL_EXPORTER_PROMETHEUS_PORT: 'ninety',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_LOG_LEVEL: 'loud',
      OTEL_RESOURCE_ATTRIBUTES: 'team',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,grpc',
    });
    expect(warnings).toEqual([
      "OTEL_LOG_LEVEL='loud' is invalid: expected one of none, error, warn, info, debug, verbose, all; using info",
      "OTEL_RESOURCE_ATTRIBUTES='team' is invalid: 'team' is not key=value (',' and '=' must be percent-encoded); the SDK ignores all of its attributes",
      "OTEL_EXPORTER_OTLP_PROTOCOL='thrift' is invalid: expected one of http/protobuf, http/json, grpc; using http/protobuf",
      "OTEL_METRIC_EXPORT_INTERVAL='abc' is invalid: expected a whole number greater than 0; using 60000",
      "OTEL_METRIC_EXPORT_TIMEOUT='-1' is invalid: expected a whole number greater than 0; using 30000",
      "OTEL_TRACES_EXPORTER='jaeger': 'jaeger' not supported (expected otlp, console, none); using otlp",
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT='localhost:4318' is invalid: expected an http:// or https:// URL; using OTEL_EXPORTER_OTLP_ENDPOINT or the default",
      "OTEL_METRICS_EXPORTER='bogus,prometheus': 'bogus' not supported (expected otlp, prometheus, console, none); using prometheus",
      "OTEL_EXPORTER_PROMETHEUS_PORT='ninety' is invalid: expected a port number 1-65535; using 9464",
      "OTEL_TRACES_SAMPLER='sometimes' is invalid: expected one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, always_on, always_off, traceidratio; using parentbased_always_on",
      "OTEL_NODE_DISABLED_INSTRUMENTATIONS='http,grpc': 'grpc' not supported (expected http, kafkajs, confluent-kafka, runtime-node); using http",
    ]);
    expect(settings.traces).toMatchObject({
      exporters: ['otlp'],
      otlp: { protocol: 'http/protobuf', url: 'http://localhost:4318/v1/traces' },
    });
    expect(settings.metrics).toMatchObject({
      exporters: ['prometheus'],
      intervalMs: 60_000,
      timeoutMs: 30_000,
    });
    expect(settings.prometheus.port).toBe(9464);
    expect(settings.sampler.name).toBe('parentbased_always_on');
    expect(settings.instrumentations).toEqual(['kafkajs', 'confluent-kafka', 'runtime-node']);
  });

  it('accepts well-formed, percent-encoded resource attributes', () => {
    expect(read({ OTEL_RESOURCE_ATTRIBUTES: 'a=1, team=kafka%2Cotel,' }).warnings).toEqual([]);
    expect(read({ OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' }).warnings).toHaveLength(1);
  });

  it('reads the sampler and its ratio; the ratio only for ratio samplers', () => {
    expect(
      read({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).settings
        .sampler,
    ).toEqual({ name: 'traceidratio', ratio: 0.1 });
    const bad = read({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '2',
    });
    expect(bad.settings.sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 1 });
    expect(bad.warnings).toEqual([
      "OTEL_TRACES_SAMPLER_ARG='2' is invalid: expected a number from 0 to 1; using 1",
    ]);
    expect(
      read({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'x' }).warnings,
    ).toEqual([]);
  });

  it('builds the sampler OTEL_TRACES_SAMPLER names', () => {
    const describe = (name: SdkSettings['sampler']['name'], ratio = 1) =>
      createSampler({ name, ratio }).toString();
    expect(describe('always_on')).toBe('AlwaysOnSampler');
    expect(describe('always_off')).toBe('AlwaysOffSampler');
    expect(describe('traceidratio', 0.5)).toBe('TraceIdRatioBased{0.5}');
    expect(describe('parentbased_always_off')).toContain('root=AlwaysOffSampler');
    expect(describe('parentbased_traceidratio', 0.2)).toContain('root=TraceIdRatioBased{0.2}');
  });

  it('reads KafkaJS instrumentation options from KAFKA_OTEL_* variables', () => {
    const { settings, warnings } = read({
      KAFKA_OTEL_PRODUCER_SPAN_MODE: 'call',
      KAFKA_OTEL_CONSUMER_CONTEXT: 'link',
      KAFKA_OTEL_CAPTURE_MESSAGE_KEY: 'false',
      KAFKA_OTEL_LEGACY_ATTRIBUTES: 'true',
      KAFKA_OTEL_METRIC_PARTITION_ATTRIBUTE: '0',
      KAFKA_OTEL_BATCH_MESSAGE_SPANS: 'no',
      KAFKA_OTEL_REQUEST_SPANS: 'yes',
    });
    expect(warnings).toEqual([]);
    expect(settings.kafkajs).toEqual({
      producerSpanMode: 'call',
      consumerContextRelation: 'link',
      captureMessageKey: false,
      emitLegacyKafkaAttributes: true,
      metricPartitionAttribute: false,
      batchMessageSpans: false,
      requestSpans: true,
    });
    // One set of switches for both clients.
    expect(settings.confluent).toEqual(settings.kafkajs);
    const bad = read({ KAFKA_OTEL_PRODUCER_SPAN_MODE: 'batch', KAFKA_OTEL_REQUEST_SPANS: 'sure' });
    expect(bad.settings.kafkajs).toEqual({});
    expect(bad.warnings).toEqual([
      "KAFKA_OTEL_PRODUCER_SPAN_MODE='batch' is invalid: expected one of message, call; using message",
      "KAFKA_OTEL_REQUEST_SPANS='sure' is invalid: expected true or false; using the default",
    ]);
  });

  it('reads the Confluent client statistics interval from KAFKA_OTEL_STATISTICS_INTERVAL', () => {
    const set = read({
      KAFKA_OTEL_STATISTICS_INTERVAL: '15000',
      KAFKA_OTEL_CAPTURE_MESSAGE_KEY: 'no',
    });
    expect(set.warnings).toEqual([]);
    expect(set.settings.confluent).toEqual({
      statisticsIntervalMs: 15_000,
      captureMessageKey: false,
    });
    expect(set.settings.kafkajs).toEqual({ captureMessageKey: false });
    expect(read({ KAFKA_OTEL_STATISTICS_INTERVAL: '0' }).settings.confluent).toEqual({
      statisticsIntervalMs: 0,
    });
    const bad = read({ KAFKA_OTEL_STATISTICS_INTERVAL: '5s' });
    expect(bad.settings.confluent).toEqual({});
    expect(bad.warnings).toEqual([
      "KAFKA_OTEL_STATISTICS_INTERVAL='5s' is invalid: expected a whole number, 0 or more; using 5000",
    ]);
  });

  it('reads OTEL_SDK_DISABLED, warning on a value that is not a boolean', () => {
    const warnings: string[] = [];
    const disabled = (value: string) =>
      isSdkDisabled(new EnvReader({ OTEL_SDK_DISABLED: value }, (m) => warnings.push(m)));
    expect([disabled('true'), disabled('FALSE'), disabled('')]).toEqual([true, false, false]);
    expect(disabled('yes please')).toBe(false);
    expect(warnings).toEqual([
      "OTEL_SDK_DISABLED='yes please' is invalid: expected true or false; using false",
    ]);
  });
});
