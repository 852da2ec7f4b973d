/** The user's app settings, one small JSON file, written atomically (temp file + rename). */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/fs/atomic-write';
import { RUN_ID_PATTERN } from '../../shared/run-types';
import { BACKEND_NAMES, type BackendPreference } from '../../shared/backend-types';

// Each field falls back on its own: a damaged `lastRunId` must not cost the backend choice.
const settingsSchema = z.object({
  backend: z.enum(['auto', ...BACKEND_NAMES]).catch('auto'),
  /** The run opened or trained last, reopened at the next launch. */
  lastRunId: z.string().regex(RUN_ID_PATTERN).nullable().catch(null),
});
export type AppSettings = z.infer<typeof settingsSchema>;

const DEFAULTS: AppSettings = { backend: 'auto', lastRunId: null };

export class SettingsStore {
  private readonly file: string;
  /** Saves run one after another: two read-modify-writes at once would lose one of the changes. */
  private writes: Promise<void> = Promise.resolve();

  constructor(dataDirectory: string) {
    this.file = path.join(dataDirectory, 'settings.json');
  }

  /** Missing or unreadable settings fall back to defaults rather than stopping the app. */
  async load(): Promise<AppSettings> {
    let stored: unknown;
    try {
      stored = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      // first start, or a damaged file: defaults
      return { ...DEFAULTS };
    }
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return { ...DEFAULTS };
    return settingsSchema.parse({ ...DEFAULTS, ...stored });
  }

  saveBackend(backend: BackendPreference): Promise<void> {
    return this.update({ backend });
  }

  saveLastRun(runId: string): Promise<void> {
    return this.update({ lastRunId: runId });
  }

  private update(change: Partial<AppSettings>): Promise<void> {
    const write = this.writes.then(async () => {
      const settings = { ...(await this.load()), ...change };
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify(settings, null, 2));
    });
    // A failed save is reported to its caller; the next one still runs.
    this.writes = write.catch(() => {});
    return write;
  }
}
