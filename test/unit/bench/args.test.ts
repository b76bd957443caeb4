import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../bench/args';
import { UsageError } from '../../../bench/errors';

describe('bench args: collector', () => {
  it('has defaults for the issue 9 shape', () => {
    const command = parseArgs(['collector']);
    if (command.kind !== 'collector') throw new Error(command.kind);
    expect(command.options).toMatchObject({
      shape: { partitions: 6000, groups: 300 },
      rounds: 5,
      scrapes: 5,
      variants: ['kafka-otel', 'kafkametrics'],
      countRequests: true,
      movingCommits: false,
      build: true,
      gitRef: undefined,
      brokers: undefined,
    });
  });

  it('takes a tiny shape, existing brokers and a git ref', () => {
    const command = parseArgs([
      'collector',
      '--shape',
      '20x4',
      '--rounds',
      '1',
      '--scrapes',
      '1',
      '--brokers',
      '127.0.0.1:29092',
      '--git-ref',
      'HEAD~1',
      '--no-request-count',
      '--moving-commits',
      '--variants',
      'kafkametrics,kafka-otel',
    ]);
    if (command.kind !== 'collector') throw new Error(command.kind);
    expect(command.options).toMatchObject({
      shape: { partitions: 20, groups: 4 },
      rounds: 1,
      scrapes: 1,
      brokers: ['127.0.0.1:29092'],
      gitRef: 'HEAD~1',
      countRequests: false,
      movingCommits: true,
      variants: ['kafka-otel', 'kafkametrics'],
    });
  });

  it.each([
    [['collector', '--shape', '6000'], /--shape/],
    [['collector', '--variants', 'kminion'], /unknown 'kminion'/],
    [['collector', '--scenarios', 'produce'], /option of `client`/],
    [['client', '--shape', '20x4'], /option of `collector`/],
    [['client', '--moving-commits'], /option of `collector`/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
