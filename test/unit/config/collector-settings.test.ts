import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_SETTINGS } from '../../../src/config/collector-settings';
import {
  BEGIN,
  END,
  settingsMarkdown,
  withSettingsTable,
} from '../../../scripts/settings-doc/settings-markdown';

const README = join(__dirname, '..', '..', '..', 'README.md');

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

  it('is what the README shows (regenerate with npm run docs:settings)', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf(BEGIN) + BEGIN.length, readme.indexOf(END));
    expect(section.trim(), 'README.md is out of date: npm run docs:settings').toBe(
      settingsMarkdown(),
    );
    expect(withSettingsTable(readme)).toBe(readme);
  });

  it('puts one row per setting in the generated table', () => {
    const rows = settingsMarkdown().split('\n').slice(2);
    expect(rows).toHaveLength(COLLECTOR_SETTINGS.length);
    expect(rows[0]).toMatch(
      /^\| `--brokers HOST:PORT\[,HOST:PORT\]` +\| `KAFKA_OTEL_COLLECT_BROKERS` +\| `KAFKA_OTEL_BROKERS` +\| +\| yes +\| Seed brokers/,
    );
  });
});
