import { describe, expect, it } from 'vitest';
import { redact, scramFormatArgs } from '../../../scripts/local-kafka/storage-format';

describe('scramFormatArgs', () => {
  it('adds one --add-scram option per credential, in StorageTool syntax', () => {
    expect(
      scramFormatArgs([
        { mechanism: 'SCRAM-SHA-256', username: 'u256', password: 'pw-256_A' },
        { mechanism: 'SCRAM-SHA-512', username: 'u512', password: 'pw-512_B' },
      ]),
    ).toEqual([
      '--add-scram',
      'SCRAM-SHA-256=[name=u256,password=pw-256_A]',
      '--add-scram',
      'SCRAM-SHA-512=[name=u512,password=pw-512_B]',
    ]);
    expect(scramFormatArgs([])).toEqual([]);
  });
});

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(
      redact('Command failed: java ... password=s3cret] password=other] s3cret', [
        's3cret',
        'other',
        '',
      ]),
    ).toBe('Command failed: java ... password=<redacted>] password=<redacted>] <redacted>');
  });
});
