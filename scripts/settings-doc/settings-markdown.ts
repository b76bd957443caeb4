import { COLLECTOR_SETTINGS } from '../../src/config/collector-settings';
import type { Setting } from '../../src/config/setting';

/** The page that shows the collector settings, relative to the repository root. */
export const SETTINGS_PAGE = 'docs/cli.md';

/** The markers around the generated list on {@link SETTINGS_PAGE}. */
export const BEGIN = '<!-- settings:begin -->';
export const END = '<!-- settings:end -->';

/** Prettier's print width for this repository: lines are wrapped to it so `prettier --check` passes. */
const WIDTH = 100;

/**
 * The collector settings as a Markdown list, one item per setting (a list rather than a table:
 * six columns of long cells pad a table out to kilobytes). Each item is wrapped at word
 * boundaries outside code spans, with continuation lines indented as Prettier indents them.
 */
export function settingsMarkdown(settings: readonly Setting[] = COLLECTOR_SETTINGS): string {
  return settings.map((setting) => wrapListItem(settingItem(setting))).join('\n');
}

/** `text` with the part between the markers replaced by the current list. */
export function withSettingsList(text: string): string {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin === -1 || end < begin) throw new Error(`expected ${BEGIN} ... ${END}`);
  return `${text.slice(0, begin + BEGIN.length)}\n\n${settingsMarkdown()}\n\n${text.slice(end)}`;
}

/** One setting on one logical line: how to give it, then what it means and its default. */
function settingItem(setting: Setting): string {
  const names = [
    ...(setting.flag === undefined
      ? []
      : [code(`--${setting.flag}${setting.arg ? ` ${setting.arg}` : ''}`)]),
    code(setting.env),
  ].join(', ');
  const notes = [
    ...(setting.aliases.length > 0 ? [`alias ${setting.aliases.map(code).join(', ')}`] : []),
    ...(setting.register ? ['also `register`'] : []),
  ];
  const given = notes.length > 0 ? `${names} (${notes.join('; ')})` : names;
  const fallback = setting.defaultText === '' ? '' : ` Default: ${setting.defaultText}.`;
  return `${given}: ${setting.help}${fallback}`;
}

/** `- text`, broken into lines of at most WIDTH characters where Markdown allows a break. */
function wrapListItem(text: string): string {
  const lines: string[] = [];
  let line = '-';
  for (const word of unbreakableWords(text)) {
    if (line.length + 1 + word.length > WIDTH && line !== '-' && canStartLine(word)) {
      lines.push(line);
      line = `  ${word}`;
    } else {
      line = `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** The words of `text`, keeping each code span whole (a break inside one would show as a space). */
function unbreakableWords(text: string): string[] {
  const words: string[] = [];
  let inCode = false;
  for (const word of text.split(' ')) {
    if (inCode) words[words.length - 1] += ` ${word}`;
    else words.push(word);
    if ((word.split('`').length - 1) % 2 === 1) inCode = !inCode;
  }
  return words;
}

/** False for a word that, at the start of a line, Markdown would read as a list item or heading. */
function canStartLine(word: string): boolean {
  return !/^([-+*#>]|\d+[.)])/.test(word);
}

function code(text: string): string {
  return `\`${text}\``;
}
