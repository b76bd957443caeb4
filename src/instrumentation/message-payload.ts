/** Byte length of a message key or value as the client encodes it (a string as UTF-8). */
export function payloadSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  return 0;
}

/** The key as a span attribute: strings as they are, Buffers decoded as UTF-8. */
export function keyText(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) return key.toString('utf8');
  return undefined;
}
