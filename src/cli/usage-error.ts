/** A mistake in the command line or its environment variables: exit code 2 and the message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
