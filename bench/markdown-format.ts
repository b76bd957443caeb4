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

/** The parts every benchmark report has after its introduction, in order. */
export interface ReportParts {
  summary: string;
  noise: string;
  method: string;
  environment: string;
  raw: string;
}

/** Results, noise, method, machine, and the raw figures folded away. */
export function reportBody(parts: ReportParts): string[] {
  return [
    parts.summary,
    '',
    `Noise: ${parts.noise}`,
    '',
    parts.method,
    '',
    parts.environment,
    '',
    '<details>',
    '<summary>Raw figures of every run, in execution order</summary>',
    '',
    parts.raw,
    '',
    '</details>',
  ];
}
