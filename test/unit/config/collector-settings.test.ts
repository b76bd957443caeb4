import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_SETTINGS } from '../../../src/config/collector-settings';
import {
  BEGIN,
  END,
  SETTINGS_PAGE,
  settingsMarkdown,
  withSettingsList,
} from '../../../scripts/settings-doc/settings-markdown';

const PAGE = join(__dirname, '..', '..', '..', SETTINGS_PAGE);

describe('the collector settings table', () => {
  it('spells every variable KAFKA_OTEL_COLLECT_*, with KAFKA_OTEL_* as the only alias', () => {
    for (const setting of COLLECTOR_SETTINGS) {
      expect(setting.env, setting.name).toMatch(/^KAFKA_OTEL_COLLECT_[A-Z_]+$/);
      for (const alias of setting.aliases) {
        expect(alias, setting.name).toBe(setting.env.replace('KAFKA_OTEL_COLLECT_', 'KAFKA_OTEL_'));
      }
    }
  });

  it('gives each name, flag and variable to one setting only', () => {
    const names = COLLECTOR_SETTINGS.map((s) => s.name);
    const flags = COLLECTOR_SETTINGS.flatMap((s) => (s.flag === undefined ? [] : [s.flag]));
    const variables = COLLECTOR_SETTINGS.flatMap((s) => [s.env, ...s.aliases]);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(variables).size).toBe(variables.length);
  });

  it('is what docs/cli.md shows (regenerate with npm run docs:settings)', () => {
    const page = readFileSync(PAGE, 'utf8');
    const section = page.slice(page.indexOf(BEGIN) + BEGIN.length, page.indexOf(END));
    expect(section.trim(), `${SETTINGS_PAGE} is out of date: npm run docs:settings`).toBe(
      settingsMarkdown(),
    );
    expect(withSettingsList(page)).toBe(page);
  });

  it('puts one list item per setting in the generated list, each line within 100 columns', () => {
    const lines = settingsMarkdown().split('\n');
    const items = lines.filter((line) => line.startsWith('- '));
    expect(items).toHaveLength(COLLECTOR_SETTINGS.length);
    expect(lines.filter((line) => !line.startsWith('- ') && !line.startsWith('  '))).toEqual([]);
    expect(lines.filter((line) => line.length > 100)).toEqual([]);
    expect(items[0]).toBe(
      '- `--brokers HOST:PORT[,HOST:PORT]`, `KAFKA_OTEL_COLLECT_BROKERS` (alias `KAFKA_OTEL_BROKERS`; also',
    );
  });

  it('shows a variable-only setting by its variable and alias, with no flag', () => {
    const password = COLLECTOR_SETTINGS.find((s) => s.env === 'KAFKA_OTEL_COLLECT_SASL_PASSWORD')!;
    expect(settingsMarkdown([password])).toBe(
      [
        '- `KAFKA_OTEL_COLLECT_SASL_PASSWORD` (alias `KAFKA_OTEL_SASL_PASSWORD`; also `register`): SASL',
        '  password; never a flag (`--sasl-password-env` names another variable).',
      ].join('\n'),
    );
  });
});
