/**
 * Freezes a snapshot and everything it holds (plain objects and arrays), so that no reader and
 * no late phase result can change a number after the snapshot was handed out. Strict-mode code
 * that tries gets a TypeError instead of a silently different export.
 */
export function deepFreeze<T>(value: T): T {
  freeze(value);
  return value;
}

function freeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) freeze(item);
  } else {
    // for-in, not Object.keys: no key array per object on a 100 000-object snapshot.
    for (const key in value) freeze((value as Record<string, unknown>)[key]);
  }
}
