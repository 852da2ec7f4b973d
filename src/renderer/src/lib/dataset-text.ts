/** Plain-words descriptions of datasets, shared by the sidebar, the header and the dataset view. */
import type {
  ChannelMode,
  DatasetSource,
  DatasetSummary,
  FitMode,
  FolderRoot,
  Preprocessing,
  ScanProgress,
} from '../../../shared/dataset-types';
import type { BuiltinDataset } from '../../../shared/types';
import { formatInt } from './format';

export const CHANNEL_LABELS: Record<ChannelMode, string> = { grayscale: 'Grayscale', rgb: 'RGB' };
export const FIT_LABELS: Record<FitMode, string> = { crop: 'Crop', contain: 'Contain', stretch: 'Stretch' };
const FIT_WORDS: Record<FitMode, string> = {
  crop: 'cropped to fill',
  contain: 'fitted inside',
  stretch: 'stretched',
};
export const SCAN_PHASES: Record<ScanProgress['phase'], string> = {
  listing: 'Listing files',
  decoding: 'Decoding images',
  writing: 'Writing the cache',
};

/** `root/sub/dir` as the user would read it; the root alone for the root itself. */
export function folderPath(root: Pick<FolderRoot, 'name'>, relativePath: string): string {
  return relativePath ? `${root.name}/${relativePath}` : root.name;
}

export function builtinFormat(dataset: BuiltinDataset): string {
  return `${dataset.imageSize}×${dataset.imageSize} ${dataset.channels === 1 ? 'grayscale' : 'colour'}`;
}

export function preprocessingText(p: Preprocessing): string {
  const fit = p.fit === 'contain' ? `${FIT_WORDS.contain}, padded with ${p.background}` : FIT_WORDS[p.fit];
  return `${p.size}×${p.size} ${p.channels === 'rgb' ? 'RGB' : 'grayscale'} · ${fit}`;
}

export function splitText(split: DatasetSummary['split']): string {
  const test = Math.round(split.testFraction * 100);
  const validation = Math.round(split.validationFraction * 100);
  return (
    `${100 - test - validation} / ${validation} / ${test} split · ${formatInt(split.train)} train · ` +
    `${formatInt(split.validation)} validation · ${formatInt(split.test)} test · seed ${split.seed}`
  );
}

export function sameSource(a: DatasetSource, b: DatasetSource): boolean {
  if (a.kind === 'builtin' || b.kind === 'builtin') {
    return a.kind === 'builtin' && b.kind === 'builtin' && a.id === b.id;
  }
  return a.rootId === b.rootId && a.relativePath === b.relativePath;
}

export function samePreprocessing(a: Preprocessing, b: Preprocessing): boolean {
  return (
    a.size === b.size &&
    a.channels === b.channels &&
    a.fit === b.fit &&
    a.background.toLowerCase() === b.background.toLowerCase()
  );
}

/** Progress through a scan in [0, 1], or null while it cannot be known (listing). */
export function scanFraction(p: ScanProgress | null): number | null {
  if (!p) return null;
  if (p.phase === 'writing') return 1;
  if (p.phase === 'listing' || p.filesSeen <= 0) return null;
  return Math.min(1, Math.max(0, (p.filesSeen - p.remaining) / p.filesSeen));
}
