/**
 * `kafka-otel collect` and an application under `register` pointed at a peer that is not a
 * broker: a malformed reply never ends the process (the CLI keeps serving `up` 0; the
 * application finishes its own work and exits with its own code), one line names the cause, and
 * against a silent peer the CLI's first scrape is answered within Prometheus's default 10 s
 * scrape timeout, with the defaults.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHostileBroker, type HostileBroker } from '../../support/hostile-broker';
import { waitFor } from '../../support/wait-for';
import { ensureBuilt } from '../../support/built-package';
import { OtlpReceiver } from '../register/support/otlp-receiver';
import { parsePrometheusText, total } from '../register/support/prometheus-text';
import { shortJobUnderRegister, servingUrl } from '../register/support/short-job';
import { SpawnedProcess } from '../register/support/spawned-process';

/** Prometheus's default scrape_timeout. */
const PROMETHEUS_SCRAPE_TIMEOUT_MS = 10_000;

const running: SpawnedProcess[] = [];
const brokers: HostileBroker[] = [];
const receiver = new OtlpReceiver();
let receiverUrl = '';

beforeAll(async () => {
  ensureBuilt();
  receiverUrl = await receiver.start();
}, 120_000);
afterEach(async () => {
  running.splice(0).forEach((p) => p.kill());
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});
afterAll(() => receiver.stop());

async function hostile(kind: 'zero-length' | 'silence'): Promise<HostileBroker> {
  const broker = await startHostileBroker({ kind }, 'connect');
  brokers.push(broker);
  return broker;
}

function collect(address: string): SpawnedProcess {
  const cli = new SpawnedProcess(
    ['dist/cjs/cli.js', 'collect', '--brokers', address, '--prometheus-port', '0'],
    {},
  );
  running.push(cli);
  return cli;
}

async function metricsUrl(cli: SpawnedProcess): Promise<string> {
  return waitFor(() => servingUrl(cli), { description: 'the serving line on stderr' });
}

/** A scrape as Prometheus makes it: given up after its default timeout. */
async function prometheusScrape(url: string) {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROMETHEUS_SCRAPE_TIMEOUT_MS) });
  return parsePrometheusText(await response.text());
}

const outageLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.includes('cluster snapshot of'));

describe('kafka-otel collect against a peer that is not a broker', () => {
  it('a malformed reply: keeps serving up 0, one line naming the cause', async () => {
    const broker = await hostile('zero-length');
    const cli = collect(broker.address);
    const url = await metricsUrl(cli);
    for (let scrape = 0; scrape < 2; scrape++) {
      expect(total(await prometheusScrape(url), 'kafka_collector_up')).toBe(0);
    }
    expect(cli.child.exitCode).toBeNull();
    const lines = outageLines(cli.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kafka-otel collect: warn: cluster snapshot of /);
    expect(lines[0]).toContain('(metadata, malformed_reply: ');
    expect(lines[0]).toContain(broker.address);
  });

  it('a silent peer: the first scrape is answered within the scrape timeout, with up 0', async () => {
    const broker = await hostile('silence');
    const cli = collect(broker.address);
    const samples = await prometheusScrape(await metricsUrl(cli));
    expect(total(samples, 'kafka_collector_up')).toBe(0);
    expect(
      total(samples, 'kafka_collector_scrape_errors_total', {
        phase: 'metadata',
        error_type: 'timeout',
      }),
    ).toBe(1);
    expect(cli.child.exitCode).toBeNull();
  });
});

describe('an application under register whose collector reaches a peer that is not a broker', () => {
  it('finishes its own work and exits 0, exports up 0, prints one line naming the cause', async () => {
    const broker = await hostile('zero-length');
    const serviceName = `hostile-register-${Date.now()}`;
    const app = shortJobUnderRegister(serviceName, receiverUrl, {
      KAFKA_OTEL_COLLECT_BROKERS: broker.address,
    });
    running.push(app);
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.eventsNamed('done')).toHaveLength(1);
    const up = receiver.points.filter(
      (p) => p.resource['service.name'] === serviceName && p.metric === 'kafka.collector.up',
    );
    expect(up.length).toBeGreaterThan(0);
    expect(up.every((p) => p.value === 0)).toBe(true);
    const lines = outageLines(app.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kafka-otel: cluster snapshot of .* \(metadata, malformed_reply: /);
  });
});
