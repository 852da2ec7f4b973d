/** The user's app settings, one small JSON file, written atomically (temp file + rename). */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/fs/atomic-write';
import { BACKEND_NAMES, type BackendPreference } from '../../shared/types';

const settingsSchema = z.object({
  backend: z.enum(['auto', ...BACKEND_NAMES]).default('auto'),
});
export type AppSettings = z.infer<typeof settingsSchema>;

export class SettingsStore {
  private readonly file: string;

  constructor(dataDirectory: string) {
    this.file = path.join(dataDirectory, 'settings.json');
  }

  /** Missing or unreadable settings fall back to defaults rather than stopping the app. */
  async load(): Promise<AppSettings> {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // first start, or a damaged file: defaults below
    }
    return settingsSchema.parse({});
  }

  async saveBackend(backend: BackendPreference): Promise<void> {
    const settings = { ...(await this.load()), backend };
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(settings, null, 2));
  }
}
