import { describe, expect, it } from 'vitest';
import { checkCompatible } from '../../../scripts/local-kafka/cluster-start';
import type { ClusterState } from '../../../scripts/local-kafka/cluster-state';

function state(secure: boolean): ClusterState {
  return {
    cluster: 'c',
    kafkaVersion: '4.4.0',
    clusterId: 'AAAAAAAAAAAAAAAAAAAAAA',
    nodeCount: 1,
    basePort: 31092,
    secure,
    jmx: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('checkCompatible', () => {
  it('accepts a start that asks for nothing or for what the cluster has', () => {
    for (const secure of [true, false]) {
      expect(() => checkCompatible(state(secure), {})).not.toThrow();
      expect(() =>
        checkCompatible(state(secure), { nodes: 1, kafkaVersion: '4.4.0', secure }),
      ).not.toThrow();
    }
  });

  it('refuses --secure on a plain cluster and suggests --fresh', () => {
    expect(() => checkCompatible(state(false), { secure: true })).toThrow(
      "Cluster 'c' was created without --secure (no SASL_SSL or mTLS listeners, users or certificates). Add --fresh",
    );
  });

  it('refuses to start a secure cluster as a plain one', () => {
    expect(() => checkCompatible(state(true), { secure: false })).toThrow(
      "Cluster 'c' was created --secure (SASL_SSL and mTLS listeners), not as a plain cluster. Add --fresh",
    );
  });

  it('names every mismatch at once', () => {
    expect(() => checkCompatible(state(false), { nodes: 3, secure: true })).toThrow(
      'was created with 1 node(s), not 3 and was created without --secure',
    );
  });
});
