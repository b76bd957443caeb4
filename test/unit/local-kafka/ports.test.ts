import { describe, expect, it } from 'vitest';
import {
  assertPortsFree,
  CONNECT_JOLOKIA_PORT_OFFSET,
  CONNECT_REST_PORT_OFFSET,
  basePortProblem,
  boundPorts,
  brokerAddress,
  clusterPorts,
  isPortFree,
  nodePorts,
} from '../../../scripts/local-kafka/ports';
import { occupyPort } from '../../support/ports';

describe('port layout', () => {
  it('puts brokers at BASE+N-1, SASL_SSL at +10, mTLS at +20, Jolokia at +60 and controllers at +100', () => {
    expect(nodePorts(19092, 1)).toEqual({
      nodeId: 1,
      brokerPort: 19092,
      controllerPort: 19192,
      saslSslPort: 19102,
      mtlsPort: 19112,
      jolokiaPort: 19152,
    });
    expect(clusterPorts(39092, 3)).toEqual([
      {
        nodeId: 1,
        brokerPort: 39092,
        controllerPort: 39192,
        saslSslPort: 39102,
        mtlsPort: 39112,
        jolokiaPort: 39152,
      },
      {
        nodeId: 2,
        brokerPort: 39093,
        controllerPort: 39193,
        saslSslPort: 39103,
        mtlsPort: 39113,
        jolokiaPort: 39153,
      },
      {
        nodeId: 3,
        brokerPort: 39094,
        controllerPort: 39194,
        saslSslPort: 39104,
        mtlsPort: 39114,
        jolokiaPort: 39154,
      },
    ]);
    expect(brokerAddress(29092, 1)).toBe('127.0.0.1:29092');
    expect(brokerAddress(19092, 3)).toBe('127.0.0.1:19094');
  });

  it('rejects base ports that leave no room for the controller range', () => {
    expect(basePortProblem(19092)).toBeUndefined();
    expect(basePortProblem(65433)).toBeUndefined();
    expect(basePortProblem(65434)).toMatch(/--port must be an integer from 1024 to 65433/);
    expect(basePortProblem(1023)).toBeDefined();
    expect(basePortProblem(1.5)).toBeDefined();
    expect(basePortProblem(65434)).toContain('BASE+10');
  });

  it('binds the secured listeners only on a secure cluster, and no port twice', () => {
    const node = nodePorts(29092, 2);
    expect(boundPorts(node, false)).toEqual([
      ['broker', 29093],
      ['controller', 29193],
    ]);
    expect(boundPorts(node, true)).toEqual([
      ['broker', 29093],
      ['SASL_SSL', 29103],
      ['mTLS', 29113],
      ['controller', 29193],
    ]);
    const everyPort = clusterPorts(29092, 3).flatMap((n) => boundPorts(n, true).map(([, p]) => p));
    expect(new Set(everyPort).size).toBe(everyPort.length);
  });

  it('binds the Jolokia port only with --jmx, clear of every other port and of Connect', () => {
    const node = nodePorts(29092, 3);
    expect(boundPorts(node, false, true)).toEqual([
      ['broker', 29094],
      ['Jolokia', 29154],
      ['controller', 29194],
    ]);
    const everyPort = [
      ...clusterPorts(29092, 3).flatMap((n) => boundPorts(n, true, true).map(([, p]) => p)),
      29092 + CONNECT_REST_PORT_OFFSET,
      29092 + CONNECT_JOLOKIA_PORT_OFFSET,
    ];
    expect(everyPort).toHaveLength(3 * 5 + 2);
    expect(new Set(everyPort).size).toBe(everyPort.length);
  });
});

describe('port checks', () => {
  it('sees a port held by another socket as taken and names port, node and role', async () => {
    const held = await occupyPort();
    try {
      expect(await isPortFree(held.port)).toBe(false);
      // Node 2's controller port is the held one: BASE = held - 100 - 1.
      const base = held.port - 101;
      await expect(assertPortsFree([nodePorts(base, 2)])).rejects.toThrow(
        `Port ${held.port} (node 2, controller listener) is already in use`,
      );
    } finally {
      await held.close();
    }
    expect(await isPortFree(held.port)).toBe(true);
  });

  it('checks the SASL_SSL and mTLS ports of a secure cluster only', async () => {
    const held = await occupyPort();
    try {
      // Node 1's SASL_SSL port is the held one: BASE = held - 10.
      const node = nodePorts(held.port - 10, 1);
      await expect(assertPortsFree([node])).resolves.toBeUndefined();
      const error = await assertPortsFree([node], { secure: true }).catch((e: Error) => e);
      expect((error as Error).message).toContain(
        `Port ${held.port} (node 1, SASL_SSL listener) is already in use`,
      );
      expect((error as Error).message).toContain('BASE+10+N-1 (SASL_SSL), BASE+20+N-1 (mTLS)');
    } finally {
      await held.close();
    }
  });
});
