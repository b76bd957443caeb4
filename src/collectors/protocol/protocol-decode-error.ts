/**
 * A response buffer that does not match the layout of the version we asked for: truncated, a
 * length that points past the end, an over-long varint, or bytes left over after the last field.
 * Thrown by the codecs instead of returning garbage; the cluster client wraps it in a
 * `BrokerRequestError` with reason `decode`.
 */
export class ProtocolDecodeError extends Error {
  override readonly name = 'ProtocolDecodeError';

  /**
   * @param what the message being decoded, e.g. `Metadata v12 response`
   * @param offset byte offset in that message where decoding failed
   * @param reason what was wrong there
   */
  constructor(
    readonly what: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`Cannot decode ${what} at byte ${offset}: ${reason}`);
  }
}
