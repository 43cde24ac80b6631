// Settings chosen at init that later starts must keep: the region is part of every ARN and
// signature scope, so changing it silently would break every client. Stored in settings.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SETTINGS_FILE = 'settings.json';

export interface DataSettings {
  region?: string;
}

export function readDataSettings(dataDir: string): DataSettings {
  const path = join(dataDir, SETTINGS_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DataSettings) : {};
}

export function writeDataSettings(dataDir: string, settings: DataSettings): void {
  writeFileSync(join(dataDir, SETTINGS_FILE), JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
}
