/**
 * Cuts a child's output into whole lines. A pipe delivers what the child wrote in chunks of
 * any size, so one `write` of a line can arrive in two chunks: a reader that looks at the text
 * so far would see the first half as if it were the line (a JSON event cut in the middle, a
 * port number missing its last digits). Only lines that have ended are handed out.
 */
export class LineBuffer {
  /** The start of a line whose end has not arrived yet. */
  private pending = '';

  /** Adds a chunk of text; returns the lines it completed, without their line ends. */
  push(chunk: string): string[] {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop()!;
    return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }
}
