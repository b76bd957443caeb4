import { afterEach, describe, expect, it } from 'vitest';
import { HttpJsonError } from '../../../../src/collectors/http/http-json-client';
import {
  JolokiaClient,
  type JolokiaClientOptions,
} from '../../../../src/collectors/jmx/jolokia-client';
import { parseObjectName } from '../../../../src/collectors/jmx/object-name';
import { FakeJolokia, ok } from './fake-jolokia';

const fakes: FakeJolokia[] = [];
const clients: JolokiaClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

async function agent(
  answers: Record<string, unknown>,
  options: Partial<JolokiaClientOptions> = {},
): Promise<{ fake: FakeJolokia; client: JolokiaClient }> {
  const fake = new FakeJolokia(answers);
  fakes.push(fake);
  const client = new JolokiaClient({ url: await fake.start(), ...options });
  clients.push(client);
  return { fake, client };
}

const RAFT = 'kafka.server:type=raft-metrics';
const REQUESTS = 'kafka.network:type=RequestMetrics,name=RequestsPerSec,*';

describe('JolokiaClient', () => {
  it('reads every query in one bulk POST with Basic credentials, pattern and single replies', async () => {
    const { fake, client } = await agent(
      {
        [RAFT]: ok({ 'current-state': 'leader', 'current-epoch': 3, 'election-latency-avg': null }),
        [REQUESTS]: ok({
          'kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=11': {
            Count: 7,
          },
          'kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Fetch,version=17': {
            Count: 2,
          },
        }),
      },
      { username: 'ops', password: 's3cret' },
    );
    const reading = await client.read([
      { mbean: RAFT },
      { mbean: REQUESTS, attributes: ['Count'] },
      { mbean: 'kafka.nothing:type=Missing,*' },
    ]);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toEqual({
      url: '/jolokia/',
      authorization: `Basic ${Buffer.from('ops:s3cret').toString('base64')}`,
      contentType: 'application/json',
      body: [
        { type: 'read', mbean: RAFT, attribute: [], config: { ignoreErrors: true } },
        { type: 'read', mbean: REQUESTS, attribute: ['Count'], config: { ignoreErrors: true } },
        {
          type: 'read',
          mbean: 'kafka.nothing:type=Missing,*',
          attribute: [],
          config: { ignoreErrors: true },
        },
      ],
    });
    // The pattern matching nothing (the agent's 404) is no beans and no failure.
    expect(reading.failures).toEqual([]);
    expect(reading.skipped).toBe(0);
    expect(reading.beans.map((bean) => ({ ...bean }))).toEqual([
      {
        query: 0,
        objectName: RAFT,
        domain: 'kafka.server',
        properties: { type: 'raft-metrics' },
        // null (JMX's NaN) is no value: left out, not counted as bad.
        attributes: { 'current-state': 'leader', 'current-epoch': 3 },
      },
      {
        query: 1,
        objectName:
          'kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=11',
        domain: 'kafka.network',
        properties: {
          type: 'RequestMetrics',
          name: 'RequestsPerSec',
          request: 'Produce',
          version: '11',
        },
        attributes: { Count: 7 },
      },
      {
        query: 1,
        objectName:
          'kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Fetch,version=17',
        domain: 'kafka.network',
        properties: {
          type: 'RequestMetrics',
          name: 'RequestsPerSec',
          request: 'Fetch',
          version: '17',
        },
        attributes: { Count: 2 },
      },
    ]);
  });

  it('fails a refused query alone, and never sends a malformed name', async () => {
    const { fake, client } = await agent({
      [RAFT]: {
        request: { mbean: RAFT, type: 'read' },
        error_type: 'java.lang.SecurityException',
        error: 'Reading attribute current-state is forbidden\n  at org.jolokia...',
        status: 403,
      },
      'kafka.server:type=app-info,id=*': ok({
        'kafka.server:type=app-info,id=2': { Version: '4.4.0' },
      }),
    });
    const reading = await client.read([
      { mbean: 'not an object name' },
      { mbean: RAFT },
      { mbean: 'kafka.server:type=app-info,id=*', attributes: ['Version'] },
    ]);
    expect((fake.sent[0]!.body as unknown[]).length).toBe(2);
    expect(reading.failures).toEqual([
      {
        query: 0,
        mbean: 'not an object name',
        errorType: 'invalid_query',
        message: 'not an ObjectName or ObjectName pattern',
      },
      {
        query: 1,
        mbean: RAFT,
        status: 403,
        errorType: 'java.lang.SecurityException',
        message: 'Reading attribute current-state is forbidden at org.jolokia...',
      },
    ]);
    expect(reading.beans.map((bean) => [bean.query, bean.properties.id])).toEqual([[2, '2']]);
  });

  it('skips and counts values of the wrong type, and answers of the wrong shape', async () => {
    const { client } = await agent({
      [RAFT]: ok({
        'current-epoch': 'three',
        composite: { used: 1 },
        list: [1, 2],
        attributeError: { error_type: 'javax.management.AttributeNotFoundException', error: 'x' },
        long: 'x'.repeat(5_000),
        ['__proto__']: 5,
        flag: true,
      }),
      [REQUESTS]: ok({
        'kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=1': 42,
        'garbage without a colon': { Count: 1 },
        'kafka.network:type=RequestMetrics,request=Fetch,*': { Count: 1 },
        'kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Fetch,version=1': {
          Count: 3,
        },
      }),
      'kafka.server:type=Weird': ok([1, 2, 3]),
      'kafka.server:type=NoStatus': { value: { Value: 1 } },
    });
    const reading = await client.read([
      { mbean: RAFT },
      { mbean: REQUESTS },
      { mbean: 'kafka.server:type=Weird' },
      { mbean: 'kafka.server:type=NoStatus' },
    ]);
    const [raft, fetch] = reading.beans;
    expect(reading.beans).toHaveLength(2);
    // A hostile key is just a key: the attributes object has no prototype to pollute.
    expect({ ...raft!.attributes }).toEqual({
      'current-epoch': 'three',
      ['__proto__']: 5,
      flag: true,
    });
    expect(Object.getPrototypeOf(raft!.attributes)).toBeNull();
    expect(fetch!.properties.request).toBe('Fetch');
    // composite, list, attributeError, long; then 42 (not a bean),
    // the unparseable name and the pattern name.
    expect(reading.skipped).toBe(7);
    expect(reading.failures).toEqual([
      {
        query: 2,
        mbean: 'kafka.server:type=Weird',
        errorType: 'malformed_reply',
        message: 'Jolokia sent a read answer whose value is not an object',
      },
      {
        query: 3,
        mbean: 'kafka.server:type=NoStatus',
        errorType: 'malformed_reply',
        message: 'Jolokia sent an answer without a status',
      },
    ]);
  });

  it('keeps at most maxBeans beans and counts the rest', async () => {
    const beans = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`kafka.test:type=T,n=${i}`, { Value: i }]),
    );
    const { client } = await agent({ 'kafka.test:type=T,*': ok(beans) }, { maxBeans: 20 });
    const reading = await client.read([{ mbean: 'kafka.test:type=T,*' }]);
    expect(reading.beans).toHaveLength(20);
    expect(reading.skipped).toBe(30);
  });

  it('rejects with an HttpJsonError when the reply is not one answer per query', async () => {
    const { fake, client } = await agent({});
    const queries = [{ mbean: RAFT }, { mbean: REQUESTS }];
    fake.rawReply = () => ({ status: 200, text: JSON.stringify([ok({})]) });
    const short = await client.read(queries).catch((error: unknown) => error);
    expect(short).toBeInstanceOf(HttpJsonError);
    expect((short as HttpJsonError).reason).toBe('malformed_reply');
    expect((short as HttpJsonError).message).toContain('expected 2 Jolokia answers, got 1');

    fake.rawReply = () => ({ status: 200, text: JSON.stringify({ status: 200, value: {} }) });
    const notArray = await client.read(queries).catch((error: unknown) => error);
    expect((notArray as HttpJsonError).reason).toBe('malformed_reply');

    // The real agent fails a whole bulk request whose JSON it cannot use, as text.
    fake.rawReply = () => ({
      status: 400,
      text: '400 (Bad Request)\n\nKey properties cannot be empty',
    });
    const status = await client.read(queries).catch((error: unknown) => error);
    expect((status as HttpJsonError).reason).toBe('status');
    expect((status as HttpJsonError).status).toBe(400);
  });

  it('rejects a reply larger than maxReplyBytes without reading it whole', async () => {
    const huge = Object.fromEntries(
      Array.from({ length: 5_000 }, (_, i) => [`kafka.test:type=T,n=${i}`, { Value: i }]),
    );
    const { client } = await agent({ 'kafka.test:type=T,*': ok(huge) }, { maxReplyBytes: 10_000 });
    const error = await client.read([{ mbean: 'kafka.test:type=T,*' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpJsonError);
    expect((error as HttpJsonError).reason).toBe('too_large');
  });

  it('sends nothing for no queries', async () => {
    const { fake, client } = await agent({});
    expect(await client.read([])).toEqual({ beans: [], failures: [], skipped: 0 });
    expect(fake.sent).toEqual([]);
  });
});

describe('parseObjectName', () => {
  it('unquotes quoted values, with their escapes and separators', () => {
    const name = parseObjectName(
      'kafka.consumer:type=consumer-metrics,client-id="a,b=c:\\"d\\"\\\\e\\*",node=1',
    );
    expect(name && { ...name, properties: { ...name.properties } }).toEqual({
      domain: 'kafka.consumer',
      properties: { type: 'consumer-metrics', 'client-id': 'a,b=c:"d"\\e*', node: '1' },
      pattern: false,
    });
  });

  it('tells patterns from names', () => {
    expect(parseObjectName('kafka.server:type=app-info,id=*')?.pattern).toBe(true);
    expect(parseObjectName('kafka.network:type=RequestMetrics,*')?.pattern).toBe(true);
    expect(parseObjectName('kafka.*:type=X')?.pattern).toBe(true);
    expect(parseObjectName('kafka.server:type="a\\*b"')?.pattern).toBe(false);
    expect(parseObjectName('kafka.server:type="a*b"')?.pattern).toBe(true);
    expect(parseObjectName('kafka.server:type=raft-metrics')?.pattern).toBe(false);
  });

  it('rejects what is not a name', () => {
    for (const text of [
      'no colon',
      'kafka.server:',
      'kafka.server:type',
      'kafka.server:=x',
      'kafka.server:type=',
      'kafka.server:type=a,type=b',
      'kafka.server:type="unterminated',
      'kafka.server:type="bad\\escape"',
      'kafka.server:type=a,',
      'kafka.server:type="a"b',
    ]) {
      expect(parseObjectName(text), text).toBeUndefined();
    }
  });
});
