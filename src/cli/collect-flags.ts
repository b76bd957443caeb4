import { COLLECTOR_SETTINGS } from '../config/collector-settings';
import type { Setting } from '../config/setting';

/** The flags of `kafka-otel collect` (all but --help): the settings that have one, by flag name. */
export const FLAGS_BY_NAME: ReadonlyMap<string, Setting> = new Map(
  COLLECTOR_SETTINGS.flatMap((setting) =>
    setting.flag === undefined ? [] : [[setting.flag, setting] as const],
  ),
);
