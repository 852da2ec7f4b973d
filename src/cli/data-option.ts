/**
 * `--data mnist|sprites|<folder>` and the folder's preprocessing options: opens the dataset
 * through the engine's own registry, so a folder gets the same scan, cache, split and dataset id
 * as in the app (a run trained here finds its dataset there, and the other way round).
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_DATASETS, DEFAULT_PREPROCESSING } from '../shared/builtin-datasets';
import { IMAGE_SIZES, type ImageSize, type Preprocessing } from '../shared/dataset-types';
import { CACHE_DIR_ENV } from '../main/engine/backend-preference';
import { DatasetRegistry, isBuiltinId } from '../main/engine/data/dataset-registry';
import { NoImagesError } from '../main/engine/data/folder/folder-dataset';
import { suggestFormat } from '../main/engine/data/folder/suggest-format';
import type { LoadedDataset } from '../main/engine/data/loaded-dataset';
import { choiceOption, required, text, type OptionSpec, type OptionValues } from './args';
import { notFoundError, usageError } from './exit-codes';
import { count, log } from './log';

export const DATA_OPTIONS: Record<string, OptionSpec> = {
  data: { type: 'string' },
  size: { type: 'string' },
  channels: { type: 'string' },
  fit: { type: 'string' },
  background: { type: 'string' },
  cache: { type: 'string' },
};

export const DATA_HELP = `  --data SOURCE        mnist, sprites, or an image folder (sub-folders are classes;
                       write ./mnist for a folder of that name)
  --size S             folder images: ${IMAGE_SIZES.join(', ')} pixels square (default: from the
                       images, at most ${DEFAULT_PREPROCESSING.size}; with --run, the run's)
  --channels C         folder images: gray or rgb (default: from the images, gray when all are;
                       with --run, the run's)
  --fit F              folder images: crop, contain or stretch (default ${DEFAULT_PREPROCESSING.fit})
  --background #RRGGBB behind transparent pixels and as contain's padding (default ${DEFAULT_PREPROCESSING.background})
  --cache DIR          where folder pixel caches live (default: the OS cache folder; or ${CACHE_DIR_ENV})`;

export interface OpenedData {
  dataset: LoadedDataset;
  /** Set for folders: how their images were prepared. Built-ins have a fixed format. */
  preprocessing?: Preprocessing;
}

/** The per-user cache folder of the platform, as desktop apps use it. */
function defaultCacheRoot(): string {
  const fromEnv = process.env[CACHE_DIR_ENV];
  if (fromEnv) return fromEnv;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'latent-studio');
  if (process.platform === 'win32') {
    return path.join(
      process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'),
      'latent-studio',
      'Cache',
    );
  }
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'latent-studio');
}

/** The folder preprocessing the options ask for, on top of `base` (the run's, for encode). */
export function preprocessingFrom(
  values: OptionValues,
  base: Preprocessing = DEFAULT_PREPROCESSING,
): Preprocessing {
  const sizeText = text(values, 'size');
  const size = sizeText === undefined ? base.size : (Number(sizeText) as ImageSize);
  if (!IMAGE_SIZES.includes(size)) {
    throw usageError(`--size must be one of ${IMAGE_SIZES.join(', ')} (got "${sizeText}")`);
  }
  const background = text(values, 'background') ?? base.background;
  if (!/^#[0-9a-f]{6}$/i.test(background)) {
    throw usageError(`--background must be a colour like #000000 (got "${background}")`);
  }
  return {
    size,
    channels: choiceOption(values, 'channels', ['grayscale', 'rgb'], base.channels, { gray: 'grayscale' }),
    fit: choiceOption(values, 'fit', ['crop', 'contain', 'stretch'], base.fit),
    background: background.toLowerCase(),
  };
}

export async function openData(values: OptionValues, base?: Preprocessing): Promise<OpenedData> {
  const source = required(values, 'data');
  const registry = new DatasetRegistry(text(values, 'cache') ?? defaultCacheRoot());
  if (isBuiltinId(source)) {
    const ignored = ['size', 'channels', 'fit', 'background'].filter(
      (name) => text(values, name) !== undefined,
    );
    const info = BUILTIN_DATASETS.find((d) => d.id === source)!;
    if (ignored.length) log(`note: ${info.name} has a fixed format; ignoring --${ignored.join(', --')}`);
    log(`dataset: loading ${info.name}…`);
    const dataset = await registry.builtin(source);
    describe(dataset);
    return { dataset };
  }
  // Checked before the folder is looked at, so a bad option is a usage error whatever the folder.
  const chosen = preprocessingFrom(values, base);
  const folder = path.resolve(source);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw notFoundError(`--data: no such folder: ${folder}`);
  // A run's recorded format is the one its model takes: the images' own never replaces it.
  const preprocessing = base ? chosen : await withSuggestion(values, folder, chosen);
  let lastLine = 0;
  try {
    const dataset = await registry.openFolder({
      folder,
      source: { kind: 'folder', rootId: 'cli', relativePath: '' },
      preprocessing,
      signal: new AbortController().signal,
      onProgress: (p) => {
        if (performance.now() - lastLine < 1000) return;
        lastLine = performance.now();
        log(
          `scanning: ${p.phase}, ${count(p.filesSeen)} files, ${count(p.imagesAccepted)} images, ${count(p.filesSkipped)} skipped`,
        );
      },
    });
    describe(dataset);
    return { dataset, preprocessing };
  } catch (error) {
    if (error instanceof NoImagesError) throw notFoundError(`--data: ${error.message}`);
    throw error;
  }
}

/** `chosen` with the size and channels the images suggest where the options name none. */
async function withSuggestion(
  values: OptionValues,
  folder: string,
  chosen: Preprocessing,
): Promise<Preprocessing> {
  const missing = (['size', 'channels'] as const).filter((name) => text(values, name) === undefined);
  if (missing.length === 0) return chosen;
  const suggested = await suggestFormat(folder);
  // Nothing readable in the sample: the scan says why better than a guess would.
  if (!suggested) return chosen;
  const preprocessing = { ...chosen };
  if (missing.includes('size')) preprocessing.size = suggested.size;
  if (missing.includes('channels')) preprocessing.channels = suggested.channels;
  const which = missing.length === 2 ? '' : ` ${missing[0]}`;
  log(
    `format: ${preprocessing.size} px ${preprocessing.channels},${which} from the images (${suggested.reason}); ` +
      `${missing.map((name) => `--${name}`).join('/')} to choose`,
  );
  return preprocessing;
}

function describe({ summary }: LoadedDataset): void {
  const { preprocessing: p, split, skipped } = summary;
  const format = `${p.size}×${p.size} ${p.channels}`;
  const cache =
    summary.source.kind === 'folder'
      ? summary.fromCache
        ? ', from cache'
        : `, ${count(summary.decoded)} decoded`
      : '';
  log(
    `dataset: ${summary.name}: ${count(summary.count)} images (${count(split.train)} train, ${count(split.test)} held out), ` +
      `${summary.classNames.length} classes, ${format}${cache}`,
  );
  if (skipped.length) {
    log(`  skipped ${count(skipped.length)} files:`);
    for (const file of skipped.slice(0, 5)) log(`    ${file.path}: ${file.reason}`);
    if (skipped.length > 5) log(`    … and ${count(skipped.length - 5)} more`);
  }
}
