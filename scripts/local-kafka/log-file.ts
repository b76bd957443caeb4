import fs from 'node:fs';

/** Size of a file, 0 when it does not exist yet: where a new node run starts writing. */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Text appended to `file` since byte `offset` (empty when the file is missing). */
export function readFrom(file: string, offset: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const length = Math.max(0, fs.fstatSync(fd).size - offset);
    const buffer = Buffer.alloc(length);
    const read = fs.readSync(fd, buffer, 0, length, offset);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The last `count` lines of `file`, for error messages about a node that did not come up. */
export function tailLines(file: string, count = 40): string {
  // Reading the last 256 KiB is plenty for 40 lines and bounded for huge logs.
  const text = readFrom(file, Math.max(0, fileSize(file) - 256 * 1024));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count).join('\n');
}
