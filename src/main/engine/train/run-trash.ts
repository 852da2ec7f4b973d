/**
 * Where a deleted run goes when there is no system trash to take it (the browser host, the command
 * line, or a desktop whose trash refused): `runs/.trash/<runId>`, a folder listing never reads
 * (its name is no run id), from which a person can move the run back by hand. Nothing is deleted.
 */
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { whileWriting } from '../fs/atomic-write';

export const TRASH_FOLDER = '.trash';

/** Moves the run folder into the runs folder's `.trash`; returns its name there. */
export async function moveToRunsTrash(runsRoot: string, runId: string): Promise<string> {
  const trash = path.join(runsRoot, TRASH_FOLDER);
  await whileWriting(() => mkdir(trash, { recursive: true }));
  let name = runId;
  // A run deleted before (moved back and deleted again) keeps its earlier copy.
  for (let n = 2; await stat(path.join(trash, name)).catch(() => null); n++) name = `${runId}-${n}`;
  await whileWriting(() => rename(path.join(runsRoot, runId), path.join(trash, name)));
  return name;
}
