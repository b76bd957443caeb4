/** Number and table formatting shared by the benchmarks' Markdown reports. */

export const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const MIB = 1024 * 1024;

/** `value` with `digits` decimals, '—' when unknown; `signed` puts a + on non-negative values. */
export function fixed(value: number | undefined, digits: number, signed = false): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  const text = value.toFixed(digits);
  return signed && value >= 0 ? `+${text}` : text;
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number | undefined, signed = false): string {
  return bytes === undefined ? '—' : fixed(bytes / MIB, 1, signed);
}

/** A Markdown table; cells are used as given. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
