// Over 300 lines: one walker class whose queue, link checks and skip reasons interlock.
/**
 * Lists the images of a dataset folder, torchvision ImageFolder style: every first-level
 * subfolder is a class (deeper folders belong to their first-level class) and images directly in
 * the root are unlabelled. Nothing is opened here; files are judged by name, type and size, and
 * everything left out is reported with a reason the user can act on.
 */
import type { Dir, Dirent, Stats } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SkippedFile } from '../../../../shared/dataset-types';
import { DECODE_REASONS, MAX_FILE_BYTES } from './decode-image';
import { extensionOf, isImageFileName } from './image-extensions';

export interface ScannedFile {
  /** Path relative to the dataset folder, with `/` separators. */
  relativePath: string;
  absolutePath: string;
  /** First-level subfolder name; null for an image directly in the root (unlabelled). */
  label: string | null;
  size: number;
  mtimeMs: number;
}

export interface ScanProgressCounts {
  /** Entries looked at so far, except folders (hidden entries and refused symlinks count). */
  filesSeen: number;
  candidates: number;
  skipped: number;
}

export interface ScanFolderOptions {
  /** Cancels the scan: it rejects with an `AbortError` at the next directory entry. Default: none. */
  signal?: AbortSignal;
  /** Called at most every {@link PROGRESS_INTERVAL_MS} and once at the end. Default: none. */
  onProgress?: (progress: ScanProgressCounts) => void;
}

export interface FolderScan {
  /** Sorted by `relativePath` (code-unit order, so the same on every machine and locale). */
  files: ScannedFile[];
  /** Sorted by `path`. */
  skipped: SkippedFile[];
}

export const PROGRESS_INTERVAL_MS = 100;
/** How many `stat` calls run at once: enough to hide disk latency, few enough not to hog libuv. */
const STAT_BATCH = 64;

export const SKIP_REASONS = {
  hidden: 'hidden',
  emptyFile: 'empty file (0 bytes)',
  // Judged by size alone, so an oversized file is never read.
  fileTooLarge: DECODE_REASONS.fileTooLarge,
  noExtension: 'no file extension',
  unsupportedType: (extension: string) => `unsupported file type (${extension})`,
  notRegularFile: 'not a regular file',
  symlinkOutside: 'symlink points outside the dataset folder',
  symlinkLoop: 'symlink loop',
  symlinkDuplicate: 'symlink to a folder already in the dataset',
  duplicateFolder: (firstSeenAs: string) => `same folder as ${firstSeenAs}, already in the dataset`,
  brokenSymlink: 'broken symlink',
  folderPermission: 'folder unreadable (permission denied)',
  folderError: (code: string) => `folder unreadable (${code})`,
  filePermission: 'unreadable (permission denied)',
  vanished: 'file disappeared during the scan',
  folderVanished: 'folder disappeared during the scan',
  statError: (code: string) => `could not read file information (${code})`,
} as const;

/** A folder still to be listed. */
interface PendingFolder {
  absolutePath: string;
  relativePath: string;
  label: string | null;
  /** Resolved path, used to walk each real folder once however many links lead to it. */
  realPath: string;
}

/** A folder reached through a symlink; walked only after every real folder, so real paths win. */
interface LinkedFolder extends PendingFolder {
  /** Resolved path of the folder holding the link, to tell a loop from a duplicate. */
  parentRealPath: string;
}

export async function scanFolder(root: string, options: ScanFolderOptions = {}): Promise<FolderScan> {
  const scan = new FolderScanner(await realpath(root), options);
  await scan.run(root);
  return scan.result();
}

class FolderScanner {
  private readonly files: ScannedFile[] = [];
  private readonly skipped: SkippedFile[] = [];
  /** Resolved path of every folder walked → the relative path it was walked as. */
  private readonly visited = new Map<string, string>();
  private readonly folders: PendingFolder[] = [];
  private linkedFolders: LinkedFolder[] = [];
  private pendingStats: Promise<void>[] = [];
  private filesSeen = 0;
  private lastProgressAt = 0;

  constructor(
    private readonly rootRealPath: string,
    private readonly options: ScanFolderOptions,
  ) {}

  async run(root: string): Promise<void> {
    this.checkAborted();
    const rootFolder = { absolutePath: root, relativePath: '', label: null, realPath: this.rootRealPath };
    // The root itself must be listable: failing to list it is the caller's error, not a skip.
    this.visited.set(this.rootRealPath, '');
    await this.list(rootFolder, await opendir(root));
    await this.walkPendingFolders();
    // Links are followed one at a time, in path order, after every real folder: a real path
    // always wins over a link to it, and when two links lead to one folder the same one wins on
    // every run.
    let link: LinkedFolder | undefined;
    while ((link = this.linkedFolders.sort((a, b) => compare(b.relativePath, a.relativePath)).pop())) {
      if (this.visited.has(link.realPath)) {
        this.filesSeen++;
        const isLoop = isInside(link.realPath, link.parentRealPath);
        this.skip(link.relativePath, isLoop ? SKIP_REASONS.symlinkLoop : SKIP_REASONS.symlinkDuplicate);
      } else {
        this.folders.push(link);
        await this.walkPendingFolders();
      }
    }
    this.reportProgress(true);
  }

  result(): FolderScan {
    return {
      files: this.files.sort((a, b) => compare(a.relativePath, b.relativePath)),
      skipped: this.skipped.sort((a, b) => compare(a.path, b.path) || compare(a.reason, b.reason)),
    };
  }

  /** Depth-first with an explicit stack, so a very deep tree cannot overflow the call stack. */
  private async walkPendingFolders(): Promise<void> {
    let folder: PendingFolder | undefined;
    while ((folder = this.folders.pop())) {
      this.checkAborted();
      const firstSeenAs = this.visited.get(folder.realPath);
      // Only possible under a followed link whose folder another link already brought in.
      if (firstSeenAs !== undefined) {
        this.skip(folder.relativePath, SKIP_REASONS.duplicateFolder(firstSeenAs));
        continue;
      }
      this.visited.set(folder.realPath, folder.relativePath);
      let dir: Dir;
      try {
        dir = await opendir(folder.absolutePath);
      } catch (error) {
        this.skip(folder.relativePath, folderReason(error));
        continue;
      }
      await this.list(folder, dir);
    }
  }

  private async list(folder: PendingFolder, dir: Dir): Promise<void> {
    try {
      // `for await` closes the directory handle however the loop ends, abort included.
      for await (const entry of dir) {
        this.checkAborted();
        this.visit(folder, entry);
        if (this.pendingStats.length >= STAT_BATCH) await this.flushStats();
        this.reportProgress(false);
      }
    } catch (error) {
      if (isAbortError(error) || folder.relativePath === '') throw error;
      this.skip(folder.relativePath, folderReason(error));
    } finally {
      await this.flushStats();
    }
  }

  private visit(folder: PendingFolder, entry: Dirent): void {
    const kind = entryKind(entry);
    if (entry.name.startsWith('.')) {
      this.filesSeen++;
      this.skip(childPath(folder, entry.name), SKIP_REASONS.hidden);
    } else if (kind === 'unknown') {
      // Some file systems (network shares, old XFS) do not report entry types: ask lstat.
      this.track(childPath(folder, entry.name), async () => {
        const stats = await lstat(path.join(folder.absolutePath, entry.name));
        this.visitKind(folder, entry.name, entryKind(stats));
      });
    } else {
      this.visitKind(folder, entry.name, kind);
    }
  }

  private visitKind(folder: PendingFolder, name: string, kind: EntryKind): void {
    const relativePath = childPath(folder, name);
    const absolutePath = path.join(folder.absolutePath, name);
    if (kind === 'directory') {
      const realPath = path.join(folder.realPath, name);
      this.folders.push({ absolutePath, relativePath, label: folder.label ?? name, realPath });
    } else if (kind === 'symlink') {
      this.track(relativePath, () => this.resolveLink(folder, name));
    } else {
      this.filesSeen++;
      if (kind === 'file') this.track(relativePath, () => this.checkFile(folder, name));
      else this.skip(relativePath, SKIP_REASONS.notRegularFile);
    }
  }

  /** Runs a per-entry check alongside others; its failure becomes a skip reason, never a rejection. */
  private track(relativePath: string, check: () => Promise<void>): void {
    this.pendingStats.push(check().catch((error: unknown) => this.skip(relativePath, fileReason(error))));
  }

  private async checkFile(folder: PendingFolder, name: string, known?: Stats): Promise<void> {
    const relativePath = childPath(folder, name);
    if (!isImageFileName(name)) {
      const extension = extensionOf(name);
      this.skip(relativePath, extension ? SKIP_REASONS.unsupportedType(extension) : SKIP_REASONS.noExtension);
      return;
    }
    const absolutePath = path.join(folder.absolutePath, name);
    const stats = known ?? (await stat(absolutePath));
    if (stats.size === 0) this.skip(relativePath, SKIP_REASONS.emptyFile);
    else if (stats.size > MAX_FILE_BYTES) this.skip(relativePath, SKIP_REASONS.fileTooLarge);
    else {
      this.files.push({
        relativePath,
        absolutePath,
        label: folder.label,
        size: stats.size,
        mtimeMs: stats.mtimeMs,
      });
    }
  }

  private async resolveLink(folder: PendingFolder, name: string): Promise<void> {
    const relativePath = childPath(folder, name);
    const absolutePath = path.join(folder.absolutePath, name);
    let target: string;
    let stats: Stats;
    try {
      [target, stats] = await Promise.all([realpath(absolutePath), stat(absolutePath)]);
    } catch (error) {
      this.filesSeen++;
      this.skip(relativePath, linkReason(error));
      return;
    }
    if (stats.isDirectory() && isInside(this.rootRealPath, target)) {
      const label = folder.label ?? name;
      this.linkedFolders.push({
        absolutePath,
        relativePath,
        label,
        realPath: target,
        parentRealPath: folder.realPath,
      });
      return;
    }
    this.filesSeen++;
    if (!isInside(this.rootRealPath, target)) this.skip(relativePath, SKIP_REASONS.symlinkOutside);
    else if (stats.isFile()) await this.checkFile(folder, name, stats);
    else this.skip(relativePath, SKIP_REASONS.notRegularFile);
  }

  private async flushStats(): Promise<void> {
    while (this.pendingStats.length > 0) {
      const batch = this.pendingStats;
      this.pendingStats = [];
      await Promise.all(batch);
    }
  }

  private skip(relativePath: string, reason: string): void {
    this.skipped.push({ path: relativePath, reason });
  }

  private reportProgress(final: boolean): void {
    const { onProgress } = this.options;
    if (!onProgress) return;
    const now = performance.now();
    if (!final && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    onProgress({ filesSeen: this.filesSeen, candidates: this.files.length, skipped: this.skipped.length });
  }

  private checkAborted(): void {
    const { signal } = this.options;
    if (signal?.aborted) throw abortError(signal.reason);
  }
}

/** Code-unit order: deterministic and locale-independent, unlike `localeCompare`. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

type EntryKind = 'directory' | 'file' | 'symlink' | 'other' | 'unknown';

/** What a `Dirent` or `Stats` says an entry is; the `Dirent`s of some file systems do not know. */
function entryKind(entry: Dirent | Stats): EntryKind {
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) return 'symlink';
  const isSpecial = entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice();
  return isSpecial ? 'other' : 'unknown';
}

function childPath(folder: PendingFolder, name: string): string {
  return folder.relativePath ? `${folder.relativePath}/${name}` : name;
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

function folderReason(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return SKIP_REASONS.folderPermission;
  if (code === 'ENOENT') return SKIP_REASONS.folderVanished;
  return SKIP_REASONS.folderError(code);
}

function fileReason(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return SKIP_REASONS.filePermission;
  if (code === 'ENOENT') return SKIP_REASONS.vanished;
  return SKIP_REASONS.statError(code);
}

function linkReason(error: unknown): string {
  const code = errorCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return SKIP_REASONS.brokenSymlink;
  if (code === 'ELOOP') return SKIP_REASONS.symlinkLoop;
  return fileReason(error);
}

function abortError(reason: unknown): Error {
  const error = new Error('The folder scan was cancelled', { cause: reason });
  error.name = 'AbortError';
  return error;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
