import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../bench/args';
import { reportSectionOf } from '../../../bench/client/client-selection';
import { UsageError } from '../../../bench/errors';

describe('bench args: client', () => {
  it('measures KafkaJS alone by default, as before the Confluent client', () => {
    const command = parseArgs(['client']);
    if (command.kind !== 'client') throw new Error(command.kind);
    expect(command.options.client).toBe('kafkajs');
    expect(command.options.variants).toEqual(['bare', 'metrics', 'traces', 'contrib']);
  });

  it('offers the Confluent variants with --client confluent', () => {
    const command = parseArgs(['client', '--client', 'confluent']);
    if (command.kind !== 'client') throw new Error(command.kind);
    expect(command.options.client).toBe('confluent');
    expect(command.options.variants).toEqual([
      'confluent-bare',
      'confluent-metrics',
      'confluent-traces',
    ]);
  });

  it('offers both clients with --client all, KafkaJS first', () => {
    const command = parseArgs(['client', '--client', 'all']);
    if (command.kind !== 'client') throw new Error(command.kind);
    expect(command.options.variants).toEqual([
      'bare',
      'metrics',
      'traces',
      'contrib',
      'confluent-bare',
      'confluent-metrics',
      'confluent-traces',
    ]);
  });

  it('picks variants across both clients in the canonical order', () => {
    const command = parseArgs([
      'client',
      '--client',
      'all',
      '--variants',
      'confluent-traces,bare,confluent-bare,confluent-traces',
    ]);
    if (command.kind !== 'client') throw new Error(command.kind);
    expect(command.options.variants).toEqual(['bare', 'confluent-bare', 'confluent-traces']);
  });

  it('writes KafkaJS to its usual section and the other selections to their own', () => {
    expect(reportSectionOf('kafkajs')).toBe('client');
    expect(reportSectionOf('confluent')).toBe('client:confluent');
    expect(reportSectionOf('all')).toBe('client:all');
  });

  it.each([
    [['client', '--client', 'rdkafka'], /--client: unknown 'rdkafka'/],
    [
      ['client', '--variants', 'confluent-metrics'],
      /'confluent-metrics' is a variant of the confluent client; add --client confluent/,
    ],
    [
      ['client', '--client', 'confluent', '--variants', 'bare'],
      /'bare' is a variant of the kafkajs client/,
    ],
    [
      ['client', '--client', 'confluent', '--variants', 'confluent-contrib'],
      /unknown 'confluent-contrib'/,
    ],
    [['collector', '--client', 'confluent'], /option of `client`/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

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
