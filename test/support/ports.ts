import net from 'node:net';

/** Holds a loopback port open until `close()`: a stand-in for "another process uses it". */
export async function occupyPort(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function isFree(port: number): Promise<boolean> {
  try {
    await (await occupyPort(port)).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * A base port whose ports at the given offsets are all free right now (default: the broker at
 * BASE and the controller at BASE+100; a --secure cluster also needs BASE+10 and BASE+20), for
 * one-node launcher tests that must not collide with the suite's clusters.
 */
export async function freeBasePort(offsets: number[] = [0, 100]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 30_000 + Math.floor(Math.random() * 20_000);
    const free = await Promise.all(offsets.map((offset) => isFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free base port found');
}
