/**
 * `kafka-otel collect` (flags and variables) and `register` (variables) against the secure local
 * cluster, the way users run them: each mechanism reads the cluster (`up` 1); a wrong password,
 * an untrusted CA or a missing client certificate reads `up` 0 with one stderr line naming the
 * cause, the process keeps running (the CLI) or ends by itself (an application), and no secret
 * shows up on stderr, stdout or in the exported metrics.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/built-package';
import { OtlpReceiver } from '../register/support/otlp-receiver';
import { scrape, total } from '../register/support/prometheus-text';
import { shortJobUnderRegister, servingUrl } from '../register/support/short-job';
import { SpawnedProcess } from '../register/support/spawned-process';
import {
  ACCESS_NAMES,
  accesses,
  leakedSecrets,
  securedCluster,
} from '../../support/secured-access';
import { waitFor } from '../../support/wait-for';

const settings = securedCluster();
const { ways, secrets } = accesses(settings);
const WRONG_PASSWORD = 'wrong-password-9f8e7d6c5b4a';
const allSecrets = [...secrets, WRONG_PASSWORD];
const running: SpawnedProcess[] = [];
const receiver = new OtlpReceiver();
let receiverUrl = '';

beforeAll(async () => {
  ensureBuilt();
  receiverUrl = await receiver.start();
}, 120_000);
afterEach(() => running.splice(0).forEach((p) => p.kill()));
afterAll(() => receiver.stop());

function collect(args: string[], env: Record<string, string>): SpawnedProcess {
  const cli = new SpawnedProcess(
    [
      'dist/cjs/cli.js',
      'collect',
      '--prometheus-port',
      '0',
      '--prometheus-host',
      '127.0.0.1',
      ...args,
    ],
    env,
  );
  running.push(cli);
  return cli;
}

/** The CLI's /metrics text once it serves, and its samples. */
async function firstScrape(cli: SpawnedProcess) {
  const url = await waitFor(() => servingUrl(cli), { description: 'the serving line on stderr' });
  const text = await (await fetch(url)).text();
  return { url, text, samples: await scrape(url) };
}

/** The stderr lines of the collector's outage messages. */
const outageLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.includes('cluster snapshot of'));

describe.each(ACCESS_NAMES)('kafka-otel collect over %s', (name) => {
  it('serves up 1 and the broker, and prints no secret', async () => {
    const { args, env } = ways[name].cli;
    const cli = collect(args, env);
    const { text, samples } = await firstScrape(cli);
    expect(total(samples, 'kafka_collector_up')).toBe(1);
    expect(total(samples, 'kafka_brokers')).toBe(1);
    expect(outageLines(cli.stderr)).toEqual([]);
    expect(leakedSecrets(cli.stderr + cli.stdout + text, allSecrets)).toEqual([]);
  });
});

describe('kafka-otel collect refused by a secure listener', () => {
  const scram = ways['scram-sha-512'].cli;
  const cases: {
    name: string;
    args: string[];
    env: Record<string, string>;
    errorType: string;
    says: string;
  }[] = [
    {
      name: 'a wrong password',
      args: scram.args,
      env: { KAFKA_OTEL_COLLECT_SASL_PASSWORD: WRONG_PASSWORD },
      errorType: 'authentication',
      says: 'SASL SCRAM SHA512 authentication failed',
    },
    {
      name: 'an untrusted CA',
      args: ['--brokers', settings.mtlsBrokers.join(','), '--tls-ca', settings.untrustedCaFile],
      env: {},
      errorType: 'tls',
      says: 'self-signed certificate in certificate chain',
    },
    {
      name: 'no client certificate',
      args: ['--brokers', settings.mtlsBrokers.join(','), '--tls-ca', settings.caFile],
      env: {},
      errorType: 'tls',
      says: 'certificate',
    },
  ];

  it.each(cases)(
    '$name: up 0, one line naming the cause ($errorType), still serving, no secret',
    async ({ args, env, errorType, says }) => {
      const cli = collect(args, env);
      const { url, text, samples } = await firstScrape(cli);
      expect(total(samples, 'kafka_collector_up')).toBe(0);
      expect(
        total(samples, 'kafka_collector_scrape_errors_total', {
          phase: 'metadata',
          error_type: errorType,
        }),
      ).toBe(1);
      // A second scrape: still serving, still one line for the one outage.
      expect(total(await scrape(url), 'kafka_collector_up')).toBe(0);
      const lines = outageLines(cli.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^kafka-otel collect: warn: cluster snapshot of /);
      expect(lines[0]).toContain(`(metadata, ${errorType}:`);
      expect(lines[0]).toContain(says);
      expect(cli.child.exitCode).toBeNull();
      expect(leakedSecrets(cli.stderr + cli.stdout + text, allSecrets)).toEqual([]);
    },
  );
});

/** An application that works for 1.5 s under register, exporting metrics over OTLP every 200 ms. */
function application(serviceName: string, collectorEnv: Record<string, string>): SpawnedProcess {
  const app = shortJobUnderRegister(serviceName, receiverUrl, collectorEnv);
  running.push(app);
  return app;
}

/** The `kafka.collector.up` values an application exported. */
const upValues = (serviceName: string) =>
  receiver.points
    .filter((p) => p.resource['service.name'] === serviceName && p.metric === 'kafka.collector.up')
    .map((p) => p.value);

describe.each(ACCESS_NAMES)('register, collecting over %s', (name) => {
  it('exports up 1, ends by itself, prints no line of its own', async () => {
    const serviceName = `secured-register-${name}-${Date.now()}`;
    const app = application(serviceName, ways[name].register);
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(upValues(serviceName)).toContain(1);
    expect(upValues(serviceName)).not.toContain(0);
    // Nothing of ours; Node 24 adds its own TimeoutNegativeWarning for a KafkaJS timer.
    expect(app.stderr.split('\n').filter((line) => line.startsWith('kafka-otel'))).toEqual([]);
    // Point by point: the whole receiver's points, as one string, outgrow V8's string limit on a
    // cluster that many runs have filled with topics.
    const exported = receiver.points.filter((p) => p.resource['service.name'] === serviceName);
    expect(exported.length).toBeGreaterThan(0);
    expect(leakedSecrets(app.stdout, allSecrets)).toEqual([]);
    expect(exported.flatMap((p) => leakedSecrets(JSON.stringify(p), allSecrets))).toEqual([]);
  });
});

describe('register with an OAUTHBEARER token provider module', () => {
  it('loads it after the instrumentations: what it requires is patched for the application', async () => {
    // A provider that loads KafkaJS itself, as a provider built on a Kafka helper library would.
    const dir = mkdtempSync(join(tmpdir(), 'kafka-otel-provider-'));
    const providerFile = join(dir, 'loads-kafkajs.cjs');
    writeFileSync(
      providerFile,
      [
        "const connection = require(require.resolve('kafkajs/src/network/connection', { paths: [process.cwd()] }));",
        'const wrapped = connection.prototype.send.__wrapped === true;',
        "process.stdout.write(JSON.stringify({ event: 'provider-loaded', wrapped }) + '\\n');",
        `module.exports = require(${JSON.stringify(ways.oauthbearer.register.KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER)});`,
      ].join('\n'),
    );
    const serviceName = `secured-register-provider-${Date.now()}`;
    const app = application(serviceName, {
      ...ways.oauthbearer.register,
      KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER: providerFile,
    });
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.eventsNamed('provider-loaded')).toEqual([
      { event: 'provider-loaded', wrapped: true },
    ]);
    expect(upValues(serviceName)).toContain(1);
  });
});

describe('register with a wrong password', () => {
  it('exports up 0, prints one line naming the cause, and the application ends by itself', async () => {
    const serviceName = `secured-register-refused-${Date.now()}`;
    const app = application(serviceName, {
      ...ways['scram-sha-512'].register,
      KAFKA_OTEL_COLLECT_SASL_PASSWORD: WRONG_PASSWORD,
    });
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.eventsNamed('done')).toHaveLength(1);
    expect(upValues(serviceName)).toContain(0);
    expect(upValues(serviceName)).not.toContain(1);
    const lines = outageLines(app.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kafka-otel: cluster snapshot of .* \(metadata, authentication: /);
    expect(lines[0]).toContain('SASL SCRAM SHA512 authentication failed');
    expect(leakedSecrets(app.stderr + app.stdout, allSecrets)).toEqual([]);
  });
});
