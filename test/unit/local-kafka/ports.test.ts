import { describe, expect, it } from 'vitest';
import {
  assertPortsFree,
  basePortProblem,
  brokerAddress,
  clusterPorts,
  isPortFree,
  nodePorts,
} from '../../../scripts/local-kafka/ports';
import { occupyPort } from '../../support/ports';

describe('port layout', () => {
  it('puts brokers at BASE+N-1 and controllers at BASE+100+N-1', () => {
    expect(nodePorts(19092, 1)).toEqual({ nodeId: 1, brokerPort: 19092, controllerPort: 19192 });
    expect(clusterPorts(39092, 3)).toEqual([
      { nodeId: 1, brokerPort: 39092, controllerPort: 39192 },
      { nodeId: 2, brokerPort: 39093, controllerPort: 39193 },
      { nodeId: 3, brokerPort: 39094, controllerPort: 39194 },
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
  });
});

describe('port checks', () => {
  it('sees a port held by another socket as taken and names port, node and role', async () => {
    const held = await occupyPort();
    try {
      expect(await isPortFree(held.port)).toBe(false);
      // Node 2's controller port is the held one: BASE = held - 100 - 1.
      const base = held.port - 101;
      await expect(
        assertPortsFree([{ nodeId: 2, brokerPort: base + 1, controllerPort: held.port }]),
      ).rejects.toThrow(`Port ${held.port} (node 2, controller listener) is already in use`);
    } finally {
      await held.close();
    }
    expect(await isPortFree(held.port)).toBe(true);
  });
});
