/**
 * What the user says about a run (a name, a note, tags), kept in the run's folder beside what
 * training wrote, so renaming never touches the run's config or checkpoints.
 */

export interface RunMeta {
  /** Null: the run has no name of its own and is shown by its default label. */
  name: string | null;
  note: string;
  tags: string[];
}

export const RUN_META_LIMITS = {
  name: 80,
  note: 2_000,
  tags: 12,
  tag: 32,
} as const;

export const EMPTY_RUN_META: RunMeta = { name: null, note: '', tags: [] };

/** Tags are one whatever their case ("Baseline" and "baseline"). */
export function tagKey(tag: string): string {
  return tag.normalize('NFC').toLowerCase();
}
