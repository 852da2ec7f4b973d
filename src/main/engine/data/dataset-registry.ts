/**
 * The datasets the engine has open, by id. Built-ins open on first use; folders through
 * `openFolder` (scan + cache). Only a few stay loaded, since a folder can be large.
 */
import path from 'node:path';
import { BUILTIN_DATASETS } from '../../../shared/builtin-datasets';
import type {
  BuiltinDatasetId,
  DatasetSource,
  Preprocessing,
  ScanProgress,
} from '../../../shared/dataset-types';
import { openBuiltin } from './builtin-datasets';
import { summarize } from './dataset-summary';
import { cacheKey } from './folder/dataset-cache';
import { openFolderDataset } from './folder/folder-dataset';
import type { LoadedDataset } from './loaded-dataset';
import { DEFAULT_FRACTIONS, hashSplit } from './split';

const KEEP_LOADED = 3;
/** Part of every folder split's rule; changing it would move files between parts. */
const SPLIT_SEED = 1;

export function isBuiltinId(id: string): id is BuiltinDatasetId {
  return BUILTIN_DATASETS.some((d) => d.id === id);
}

export class DatasetRegistry {
  private readonly loaded = new Map<string, LoadedDataset>();
  private readonly pending = new Map<string, Promise<LoadedDataset>>();

  constructor(private readonly cacheRoot: string) {}

  /** An open dataset; built-ins are opened on demand, folders must have been opened. */
  async get(id: string): Promise<LoadedDataset | null> {
    const found = this.loaded.get(id);
    if (found) {
      this.remember(id, found);
      return found;
    }
    return isBuiltinId(id) ? this.builtin(id) : null;
  }

  builtin(id: BuiltinDatasetId): Promise<LoadedDataset> {
    const found = this.loaded.get(id);
    if (found) return Promise.resolve(found);
    let opening = this.pending.get(id);
    if (!opening) {
      opening = openBuiltin(id).then((dataset) => {
        this.remember(id, dataset);
        return dataset;
      });
      opening.finally(() => this.pending.delete(id)).catch(() => undefined);
      this.pending.set(id, opening);
    }
    return opening;
  }

  async openFolder(options: {
    folder: string;
    source: Extract<DatasetSource, { kind: 'folder' }>;
    preprocessing: Preprocessing;
    signal: AbortSignal;
    onProgress: (progress: Omit<ScanProgress, 'jobId'>) => void;
  }): Promise<LoadedDataset> {
    const opened = await openFolderDataset({
      folder: options.folder,
      preprocessing: options.preprocessing,
      cacheRoot: this.cacheRoot,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    const datasetId = `folder-${cacheKey(options.folder, options.preprocessing).slice(0, 16)}`;
    // By path, so adding, removing or renaming other files never moves a file between parts.
    const split = hashSplit(
      opened.set,
      { method: 'fnv1a32', seed: SPLIT_SEED, ...DEFAULT_FRACTIONS, key: 'path' },
      opened.paths,
    );
    const dataset: LoadedDataset = {
      set: opened.set,
      split,
      fileNames: opened.paths,
      summary: summarize({
        datasetId,
        name: path.basename(options.folder),
        source: options.source,
        preprocessing: options.preprocessing,
        set: opened.set,
        split,
        skipped: opened.skipped,
        cacheBytes: opened.cacheBytes,
        decoded: opened.decoded,
        fromCache: opened.fromCache,
      }),
    };
    this.remember(datasetId, dataset);
    return dataset;
  }

  private remember(id: string, dataset: LoadedDataset): void {
    this.loaded.delete(id);
    this.loaded.set(id, dataset);
    while (this.loaded.size > KEEP_LOADED) {
      const oldest = this.loaded.keys().next().value;
      if (oldest === undefined) break;
      this.loaded.delete(oldest);
    }
  }
}
