/**
 * One benchmark run in a fresh process (`node --expose-gc main.js '<RunSpec JSON>'`, compiled by
 * child-program.ts):
 * sets up the variant's telemetry, only then requires the variant's client (kafkajs, or the
 * Confluent client from its cached install: instrumentations patch it as it loads), runs the
 * scenario, checks that every message went through and that the telemetry saw
 * them, and prints one result line. Any failure exits non-zero with the reason on stderr, and
 * no result line is printed.
 */
import type * as KafkaJs from 'kafkajs';
import { createRequire } from 'node:module';
import {
  clientOf,
  formatResultLine,
  telemetryOf,
  type RunResult,
  type RunSpec,
} from '../run-contract';
import type { BenchClient } from './bench-client';
import { confluentClient, loadConfluentModule } from './confluent-client';
import { kafkaJsClient } from './kafkajs-client';
import { runConsumeScenario } from './consume-scenario';
import { MeasurementWindow } from './measurement-window';
import { runProduceScenario } from './produce-scenario';
import { loadedOpenTelemetryModules, setUpVariantTelemetry } from './variant-telemetry';

/** How long after its deadline a run that did not give up by itself is ended anyway. */
const CHILD_BACKSTOP_MS = 5_000;

function fail(message: string): never {
  process.stderr.write(`bench child failed: ${message}\n`);
  process.exit(1);
}

/**
 * The child must not outlive the bench: its stdin is a pipe from the parent, which closes when
 * the parent goes away, however it ends. The deadline bounds a run that hangs; the scenarios
 * fail at the deadline with how far they got, this timer is the backstop a little later.
 */
function bindLifetime(spec: RunSpec): number {
  process.stdin.on('end', () => fail('the bench process went away'));
  process.stdin.resume();
  const deadlineAt = Date.now() + spec.timeoutMs;
  setTimeout(
    () => fail(`${spec.variant} ${spec.scenario} did not finish within ${spec.timeoutMs} ms`),
    spec.timeoutMs + CHILD_BACKSTOP_MS,
  ).unref();
  return deadlineAt;
}

/** Requires the variant's client; call it once the telemetry is set up. */
function loadClient(spec: RunSpec): BenchClient {
  if (clientOf(spec.variant) === 'kafkajs') {
    return kafkaJsClient(createRequire(__filename)('kafkajs') as typeof KafkaJs, spec);
  }
  if (spec.confluentClientDir === undefined) {
    throw new Error(`the ${spec.variant} run was given no Confluent client install`);
  }
  return confluentClient(loadConfluentModule(spec.confluentClientDir), spec);
}

async function main(spec: RunSpec): Promise<RunResult> {
  const deadlineAt = bindLifetime(spec);
  const telemetry = await setUpVariantTelemetry(spec.variant, spec.kafkaOtelEntry);
  const client = loadClient(spec);
  if (telemetryOf(spec.variant) === 'none' && loadedOpenTelemetryModules().length > 0) {
    throw new Error(
      `the ${spec.variant} variant loaded ${loadedOpenTelemetryModules().join(', ')}`,
    );
  }
  const window = new MeasurementWindow();
  const { messages, memory } =
    spec.scenario === 'produce'
      ? await runProduceScenario(client, spec, window)
      : await runConsumeScenario(client, spec, window, deadlineAt);
  if (messages !== spec.messages) {
    throw new Error(`the run moved ${messages} messages instead of ${spec.messages}`);
  }
  const outcome = await telemetry.verify(spec.scenario, messages);
  await telemetry.shutdown();
  const lifetimeCpu = process.cpuUsage();
  return {
    scenario: spec.scenario,
    variant: spec.variant,
    messages,
    ...window.result(),
    ...memory,
    lifetimeCpuMicros: lifetimeCpu.user + lifetimeCpu.system,
    ...outcome,
  };
}

const specArgument = process.argv[2];
if (specArgument === undefined) fail('no run spec given (expected one JSON argument)');
main(JSON.parse(specArgument) as RunSpec).then(
  (result) => {
    // Exit only once the line is written: stdout is a pipe, and pipes are asynchronous.
    process.stdout.write(formatResultLine(result), () => process.exit(0));
  },
  (error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
