import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli';
import { captureStream } from '../support/capture-stream';
import { waitFor } from '../support/wait-for';

describe('kafka-otel collect: main()', () => {
  it('serves until the stop signal aborts, then resolves 0', async () => {
    const stderr = captureStream();
    const stop = new AbortController();
    const exit = main(
      // Port 1 on loopback: nothing listens there, so the cluster is unreachable at once.
      ['collect', '--brokers', '127.0.0.1:1', '--prometheus-host=127.0.0.1', '--prometheus-port=0'],
      { stderr: stderr.stream, env: {}, signal: stop.signal },
    );
    const url = await waitFor(() => /serving (\S+\/metrics)/.exec(stderr.text())?.[1]);
    const body = await (await fetch(url)).text();
    expect(body).toMatch(/^kafka_collector_up\{[^}]*\} 0$/m);
    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
    stop.abort();
    expect(await exit).toBe(0);
    expect(stderr.text()).toContain('kafka-otel collect: stopped');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('prints collect --help on stdout', async () => {
    const stdout = captureStream();
    expect(await main(['collect', '--help'], { stdout: stdout.stream })).toBe(0);
    expect(stdout.text()).toContain('Usage: kafka-otel collect --brokers');
  });

  it('exits 2 with the message and a pointer to --help for a bad value', async () => {
    const stderr = captureStream();
    expect(
      await main(['collect', '--brokers', 'k:1', '--interval', '15x'], {
        stderr: stderr.stream,
        env: {},
      }),
    ).toBe(2);
    expect(stderr.text()).toBe(
      "kafka-otel collect: invalid --interval '15x': expected a duration such as 500ms, 15s, 1m or 1m30s\n" +
        "Run 'kafka-otel collect --help' for the options.\n",
    );
  });
});
