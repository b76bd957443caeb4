import { isPortFree } from '../local-kafka/ports';
import { OtelStackError } from './errors';

/**
 * The stack's ports live in 17000-18999: below every Kafka range of this repository (the
 * launcher's default 19092/19192, the test clusters' 29092, 39092 and 49592, the launcher
 * tests' random 30000-50000 bases) and below the kernel's ephemeral range (32768+), so neither
 * a Kafka node nor an outgoing connection can take them.
 */
export const PORT_RANGE = { low: 17_000, high: 18_999 } as const;
/** Each stack takes a block of this size; blocks start at multiples of it within the range. */
export const BLOCK_SIZE = 20;
export const DEFAULT_STACK_BASE_PORT = 17_300;

/** Offsets inside a block: fixed, so a stack's URLs are predictable from its base port. */
const OFFSETS = {
  collectorOtlpGrpc: 0,
  collectorOtlpHttp: 1,
  collectorPrometheus: 2,
  collectorHealth: 3,
  collectorTelemetry: 4,
  jaegerOtlpGrpc: 5,
  jaegerOtlpHttp: 6,
  jaegerQueryHttp: 7,
  jaegerQueryGrpc: 8,
  jaegerHealth: 9,
  prometheus: 10,
} as const;

export type StackPorts = { [K in keyof typeof OFFSETS]: number };

export function stackPorts(basePort: number): StackPorts {
  return Object.fromEntries(
    Object.entries(OFFSETS).map(([name, offset]) => [name, basePort + offset]),
  ) as StackPorts;
}

export function basePortProblem(basePort: number): string | undefined {
  const last = basePort + BLOCK_SIZE - 1;
  if (!Number.isInteger(basePort) || basePort < PORT_RANGE.low || last > PORT_RANGE.high) {
    return `--port must be an integer from ${PORT_RANGE.low} to ${PORT_RANGE.high - BLOCK_SIZE + 1} (the stack uses BASE..BASE+${BLOCK_SIZE - 1}).`;
  }
  return undefined;
}

async function takenPorts(ports: StackPorts): Promise<Array<[string, number]>> {
  const taken: Array<[string, number]> = [];
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isPortFree(port))) taken.push([name, port]);
  }
  return taken;
}

/**
 * A base port whose whole block is free right now. An explicit base is used as is (or refused,
 * naming the taken ports); otherwise the search starts at `preferred` and walks the range in
 * blocks, so two stacks (say the demo's and the e2e suite's) never share a port.
 */
export async function chooseBasePort(options: {
  explicit?: number;
  preferred?: number;
}): Promise<number> {
  if (options.explicit !== undefined) {
    const taken = await takenPorts(stackPorts(options.explicit));
    if (taken.length === 0) return options.explicit;
    throw new OtelStackError(
      `Port(s) ${taken.map(([name, port]) => `${port} (${name})`).join(', ')} already in use on 127.0.0.1. ` +
        'Stop what uses them (`ss -ltnp`), or pick another --port, or leave --port out to search a free block.',
    );
  }
  const blocks = Math.floor((PORT_RANGE.high - PORT_RANGE.low + 1) / BLOCK_SIZE);
  const preferred = options.preferred ?? DEFAULT_STACK_BASE_PORT;
  const first = Math.floor((preferred - PORT_RANGE.low) / BLOCK_SIZE);
  for (let i = 0; i < blocks; i++) {
    const base = PORT_RANGE.low + ((first + i) % blocks) * BLOCK_SIZE;
    if ((await takenPorts(stackPorts(base))).length === 0) return base;
  }
  throw new OtelStackError(
    `No free block of ${BLOCK_SIZE} ports in ${PORT_RANGE.low}-${PORT_RANGE.high} on 127.0.0.1.`,
  );
}

/**
 * One free port in the upper part of the range (18500+), for processes started next to a stack
 * (an exporter Prometheus scrapes, say), clear of the blocks the stacks search from 17000 up.
 */
export async function freeSidePort(): Promise<number> {
  for (let port = 18_500 + Math.floor(Math.random() * 400); port <= PORT_RANGE.high; port++) {
    if (await isPortFree(port)) return port;
  }
  for (let port = 18_500; port <= PORT_RANGE.high; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new OtelStackError(`No free port in 18500-${PORT_RANGE.high} on 127.0.0.1.`);
}
