/**
 * The attributes each client and broker-handler instrument declares (what docs/metrics.md
 * lists) are exactly those its points carry: driven with events that exercise every attribute
 * builder, each declared-always key is on every point, each conditional key on some points but
 * not all, and no point carries an undeclared key.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BROKER_HANDLER_INSTRUMENTS,
  instrumentBrokerHandler,
  type KafkaRequestInfo,
} from '../../../src/instrumentation/broker-handler';
import {
  CLIENT_INSTRUMENTS,
  type InstrumentDefinition,
} from '../../../src/instrumentation/recorder/client-instruments';
import { Recorder } from '../../../src/instrumentation/recorder/recorder';
import { PACKAGE_NAME } from '../../../src/version';
import {
  emittedKeys,
  sortedDeclaration,
  type DeclaredKeys,
} from '../../support/declared-attributes';
import { TelemetryHarness } from '../../support/telemetry-harness';

let harness: TelemetryHarness;
afterEach(() => harness.shutdown());

function declaredKeys(definitions: Record<string, InstrumentDefinition>): DeclaredKeys[] {
  return Object.values(definitions).map(({ name, attributes }) => ({
    name,
    always: attributes.filter((attribute) => typeof attribute === 'string'),
    conditional: attributes.flatMap((attribute) =>
      typeof attribute === 'string' ? [] : [attribute.key],
    ),
  }));
}

describe('declared metric attributes', () => {
  it('match the attributes the recorder sets on every client instrument', async () => {
    harness = new TelemetryHarness();
    const recorder = new Recorder(harness.meterProvider.getMeter(PACKAGE_NAME));
    const group = 'billing';
    // Requests: with and without the optional port, key, version; a failure; timeouts both ways.
    const request = { apiName: 'Fetch', serverAddress: 'b1', durationSeconds: 0.01 };
    const sizes = { requestBytes: 100, responseBytes: 2_000 };
    recorder.recordRequest({ ...request, ...sizes, apiKey: 1, apiVersion: 12, serverPort: 9092 });
    recorder.recordRequest({ ...request, ...sizes, error: 'NOT_LEADER_OR_FOLLOWER' });
    recorder.recordRequest({ ...request, serverPort: 9092, error: 'timeout' });
    recorder.recordRequest({ ...request, error: 'timeout' });
    recorder.recordRequestTimeouts('b1', 9092, 2); // librdkafka statistics: no API name
    recorder.recordRequestQueueSize('b1', 9092, 3);
    recorder.recordRequestQueueSize('b2', undefined, 1);
    recorder.recordConnection(1, 'b1', 9092, 'producer');
    recorder.recordConnection(1, 'b2', undefined, undefined);
    // Producer: per partition to a known broker, then per topic, failed, broker unknown.
    recorder.recordSent('orders', 0, 5, 'b1', undefined);
    recorder.recordSent('orders', undefined, 2, undefined, 'timeout');
    recorder.recordSentBytes('orders', 500);
    recorder.recordSendDuration('orders', 'b1', 0.01, undefined);
    recorder.recordSendDuration(undefined, undefined, 0.02, 'timeout');
    // Consumer: per partition and per topic, a handler that succeeded and one that threw.
    const perPartition = recorder.consumer(group, 'orders', 1);
    perPartition.delivered(3, 30);
    perPartition.endToEnd(0.5);
    perPartition.processed(0.1, undefined);
    perPartition.processed(0.2, new TypeError('bad record'));
    recorder.consumer(group, 'orders', undefined).delivered(1, 10);
    recorder.recordCommit({ group, topic: 'orders', durationSeconds: 0.01 });
    recorder.recordCommit({ group, durationSeconds: 0.02, error: 'REBALANCE_IN_PROGRESS' });
    recorder.recordRebalance({ group, joinDurationSeconds: 0.5, assignedPartitions: 2 });
    recorder.recordCrash({ group, error: 'KafkaJSNumberOfRetriesExceeded', restart: true });
    recorder.recordInvalidTraceContext(group);
    recorder.setLag({}, group, 'orders', 1, 7);

    const declared = declaredKeys(CLIENT_INSTRUMENTS);
    expect(emittedKeys(declared, await harness.metrics())).toEqual(declared.map(sortedDeclaration));
  });

  it('match the attributes instrumentBrokerHandler sets', async () => {
    harness = new TelemetryHarness();
    const { meterProvider } = harness;
    type Request = KafkaRequestInfo & { fail?: boolean };
    const answer = (request: Request): Buffer | { size: number; errorCode: number } => {
      if (request.fail === true) throw new RangeError('cannot decode');
      return request.apiKey === 3 ? { size: 40, errorCode: 5 } : Buffer.alloc(80);
    };
    const configured = instrumentBrokerHandler(answer, {
      meterProvider,
      serverAddress: 'broker-1',
      serverPort: 9092,
      spans: false,
    });
    const bare = instrumentBrokerHandler(answer, { meterProvider, spans: false });
    const request = (apiKey: number): Request => ({
      apiKey,
      apiVersion: 4,
      correlationId: 1,
      clientId: 'app',
      size: 60,
    });
    await configured(request(1));
    await configured(request(3)); // error code 5: LEADER_NOT_AVAILABLE
    await bare(request(1));
    await expect(bare({ ...request(1), fail: true })).rejects.toThrow('cannot decode');
    configured.trackConnection(new EventEmitter());
    bare.trackConnection(new EventEmitter());

    const declared = declaredKeys(BROKER_HANDLER_INSTRUMENTS);
    expect(emittedKeys(declared, await harness.metrics())).toEqual(declared.map(sortedDeclaration));
  });
});
