/**
 * The CLI's heap policy: applied to its own process unless the user set the same V8 flag on
 * the command line. (What it does to memory is measured by `npm run bench -- collector`.)
 */
import { describe, expect, it } from 'vitest';
import { applyExporterHeapPolicy } from '../../src/cli/heap-policy';

describe('applyExporterHeapPolicy', () => {
  it("leaves the user's own --heap-growing-percent alone, in either spelling", () => {
    expect(applyExporterHeapPolicy(['--heap-growing-percent=200'])).toBe(false);
    expect(applyExporterHeapPolicy(['--inspect', '--heap_growing_percent', '80'])).toBe(false);
  });

  it('applies the policy when node was started without it', () => {
    expect(applyExporterHeapPolicy(['--enable-source-maps'])).toBe(true);
  });
});
