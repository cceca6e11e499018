import { z } from 'zod';
import type { NotificationPrefs } from '../../common/ipc.js';
import { readJsonFile, writeJsonAtomic } from '../storage/jsonFile.js';

export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = {
  connectionLost: true,
  sectionUnhealthy: true,
};

const fileSchema = z.object({
  notifications: z
    .object({ connectionLost: z.boolean(), sectionUnhealthy: z.boolean() })
    .partial()
    .default({}),
});

/** preferences.json in the user-data folder: the notification switches (on by default). */
export class PreferencesStore {
  private constructor(
    private readonly file: string,
    private prefs: NotificationPrefs,
  ) {}

  static async open(file: string): Promise<PreferencesStore> {
    const read = await readJsonFile(file);
    const parsed = read.kind === 'ok' ? fileSchema.safeParse(read.value) : undefined;
    const stored = parsed?.success ? parsed.data.notifications : {};
    return new PreferencesStore(file, { ...DEFAULT_NOTIFICATION_PREFS, ...stored });
  }

  get(): NotificationPrefs {
    return { ...this.prefs };
  }

  async update(patch: Partial<NotificationPrefs>): Promise<NotificationPrefs> {
    this.prefs = {
      connectionLost: patch.connectionLost ?? this.prefs.connectionLost,
      sectionUnhealthy: patch.sectionUnhealthy ?? this.prefs.sectionUnhealthy,
    };
    await writeJsonAtomic(this.file, { notifications: this.prefs });
    return this.get();
  }
}
