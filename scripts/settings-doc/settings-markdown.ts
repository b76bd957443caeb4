import { COLLECTOR_SETTINGS } from '../../src/config/collector-settings';
import type { Setting } from '../../src/config/setting';

/** The markers around the generated table in README.md. */
export const BEGIN = '<!-- settings:begin -->';
export const END = '<!-- settings:end -->';

const HEADER = ['flag', 'variable', 'alias', 'default', 'register', 'meaning'];

/**
 * The collector settings as a Markdown table, laid out as Prettier lays tables out (columns
 * padded to their widest cell), so the generated README passes `prettier --check` unchanged.
 */
export function settingsMarkdown(settings: readonly Setting[] = COLLECTOR_SETTINGS): string {
  const rows = settings.map((setting) => [
    setting.flag === undefined
      ? ''
      : code(`--${setting.flag}${setting.arg ? ` ${setting.arg}` : ''}`),
    code(setting.env),
    setting.aliases.map(code).join(', '),
    setting.defaultText,
    setting.register ? 'yes' : '',
    setting.help,
  ]);
  const widths = HEADER.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.replaceAll('|', '\\|').padEnd(widths[column]!)).join(' | ')} |`;
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `text` with the part between the markers replaced by the current table. */
export function withSettingsTable(text: string): string {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin === -1 || end < begin) throw new Error(`expected ${BEGIN} ... ${END}`);
  return `${text.slice(0, begin + BEGIN.length)}\n\n${settingsMarkdown()}\n\n${text.slice(end)}`;
}

function code(text: string): string {
  return `\`${text}\``;
}
