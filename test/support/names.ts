import { randomBytes } from 'node:crypto';

/** A name no other test (or earlier run against the same cluster) uses: prefix-time-random. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function randomTopic(prefix = 'test-topic'): string {
  return uniqueName(prefix);
}

export function randomGroup(prefix = 'test-group'): string {
  return uniqueName(prefix);
}
