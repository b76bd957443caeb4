import { describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../../../scripts/local-kafka/args';
import { UsageError } from '../../../scripts/local-kafka/errors';

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`parseArgs(${argv.join(' ')}) did not throw`);
}

describe('parseArgs', () => {
  it('shows help for no arguments, --help, -h and help', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['start', '--help']]) {
      expect(parseArgs(argv)).toEqual({ kind: 'help' });
    }
    expect(USAGE).toContain('npm run kafka -- <command>');
    expect(USAGE).toContain('--kafka-version');
  });

  it('parses a plain start with every option left to its default', () => {
    expect(parseArgs(['start'])).toEqual({
      kind: 'start',
      cluster: undefined,
      nodes: undefined,
      kafkaVersion: undefined,
      basePort: undefined,
      secure: undefined,
      fresh: false,
      timeoutMs: undefined,
    });
  });

  it('parses every start option, in both --flag value and --flag=value forms', () => {
    expect(
      parseArgs([
        'start',
        '--nodes',
        '3',
        '--kafka-version=3.9.x',
        '--fresh',
        '--cluster',
        'ci',
        '--port=29092',
        '--timeout',
        '90',
        '--secure',
      ]),
    ).toEqual({
      kind: 'start',
      cluster: 'ci',
      nodes: 3,
      kafkaVersion: '3.9.2',
      basePort: 29092,
      secure: true,
      fresh: true,
      timeoutMs: 90_000,
    });
  });

  it('leaves security to the existing cluster unless --secure is given', () => {
    const secure = (argv: string[]): boolean | undefined => {
      const command = parseArgs(argv);
      return command.kind === 'start' ? command.secure : undefined;
    };
    expect(secure(['start', '--secure'])).toBe(true);
    expect(secure(['start', '--cluster', 'x'])).toBeUndefined();
    expect(USAGE).toContain('--secure');
    expect(USAGE).toContain('KAFKA_SASL_SSL_BROKERS');
    expect(USAGE).toContain('BASE+10+N-1');
    expect(USAGE).toContain('BASE+20+N-1');
  });

  it('resolves Kafka version aliases to releases', () => {
    const version = (v: string): string | undefined => {
      const command = parseArgs(['start', '--kafka-version', v]);
      return command.kind === 'start' ? command.kafkaVersion : undefined;
    };
    expect(version('4')).toBe('4.4.0');
    expect(version('4.x')).toBe('4.4.0');
    expect(version('3.9')).toBe('3.9.2');
    expect(version('4.1.1')).toBe('4.1.1');
  });

  it('turns start --node N into a single-node restart', () => {
    expect(parseArgs(['start', '--node', '2', '--cluster', 'x'])).toEqual({
      kind: 'start-node',
      cluster: 'x',
      node: 2,
      timeoutMs: undefined,
    });
  });

  it('parses stop and status', () => {
    expect(parseArgs(['stop'])).toEqual({ kind: 'stop', cluster: undefined, node: undefined });
    expect(parseArgs(['stop', '--node', '3', '--cluster', 'test3'])).toEqual({
      kind: 'stop',
      cluster: 'test3',
      node: 3,
    });
    expect(parseArgs(['status', '--cluster', 'test'])).toEqual({ kind: 'status', cluster: 'test' });
  });

  it.each([
    [['launch'], "Unknown command 'launch'"],
    [['start', '--nodez', '3'], "Unknown option '--nodez'"],
    [['start', '--nodes', '2'], '--nodes must be 1 or 3'],
    [['start', '--nodes'], '--nodes needs a value'],
    [['start', '--cluster', '--fresh'], '--cluster needs a value'],
    [['start', '--port', 'abc'], '--port must be an integer'],
    [['start', '--port', '65500'], '--port must be an integer from 1024'],
    [['start', '--port', '80'], '--port must be an integer from 1024'],
    [['start', '--kafka-version', '3.8.1'], "Unsupported --kafka-version '3.8.1'"],
    [['start', '--timeout', '0'], '--timeout must be a number of seconds'],
    [['start', '--fresh=yes'], '--fresh takes no value'],
    [['start', '--secure=true'], '--secure takes no value'],
    [['stop', '--secure'], "'stop' does not take --secure"],
    [['status', '--secure'], "'status' does not take --secure"],
    [['start', '--node', '1', '--secure'], 'cannot be combined with --secure'],
    [['start', '--cluster', 'a', '--cluster', 'b'], '--cluster is given twice'],
    [['start', 'now'], "Unexpected argument 'now'"],
    [['stop', '--fresh'], "'stop' does not take --fresh"],
    [['status', '--node', '1'], "'status' does not take --node"],
    [['stop', '--node', '4'], '--node must be an integer from 1 to 3'],
    [['start', '--node', '2', '--fresh'], 'cannot be combined with --fresh'],
    [['start', '--node', '1', '--nodes', '3'], 'cannot be combined with --nodes'],
  ])('rejects %j with a clear message', (argv, message) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
    expect(error.message).toContain('npm run kafka -- --help');
    expect(error.exitCode).toBe(2);
  });
});
