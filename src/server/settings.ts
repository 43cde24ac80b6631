// Settings chosen at init that later starts must keep: the region is part of every ARN and
// signature scope, so changing it silently would break every client. Stored in settings.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedSettings } from '../config/config.ts';

const SETTINGS_FILE = 'settings.json';

export type DataSettings = RecordedSettings;

export function readDataSettings(dataDir: string): DataSettings {
  const path = join(dataDir, SETTINGS_FILE);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DataSettings;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); it should read {"region": "…"}, the region given at init`);
  }
}

export function writeDataSettings(dataDir: string, settings: DataSettings): void {
  writeFileSync(join(dataDir, SETTINGS_FILE), JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
}
