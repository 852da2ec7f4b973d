/**
 * The browser host's uploads area (`<data dir>/uploads/`): folders of images uploaded from the
 * page, so a remote user can train on their own pictures. An upload is written into a hidden
 * `.incoming/<id>/` folder (the folder browser never lists it) and only on finishing moved to a
 * new folder of its own, named after what was uploaded and never over an earlier upload.
 * Cancelling, or a host that stopped mid-upload, leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, opendir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isImageFileName } from '../../shared/image-extensions';
import { fail, ok, type Result } from '../../shared/result';
import {
  UPLOAD_LIMITS,
  uploadFolderName,
  uploadPathProblem,
  type UploadFile,
  type UploadReceived,
  type UploadSkip,
} from '../../shared/uploads';

export type UploadLimits = { -readonly [K in keyof typeof UPLOAD_LIMITS]: number };

interface Upload {
  name: string;
  /** Real path of its `.incoming/<id>` folder. */
  folder: string;
  files: number;
  bytes: number;
  /** Lower-cased paths already kept: a second file of the same name is skipped, never written over. */
  paths: Set<string>;
  touchedAt: number;
  /** The upload's calls, one after another: a cancel waits for a write under way to end. */
  queue: Promise<unknown>;
}

/** An upload nobody has sent to in this long is dropped (its page was closed mid-upload). */
const IDLE_MS = 30 * 60_000;
const INCOMING = '.incoming';
const MB = 1024 * 1024;

const megabytes = (bytes: number) => `${Math.round(bytes / MB).toLocaleString('en')} MB`;

async function bytesUnder(folder: string): Promise<number> {
  let total = 0;
  try {
    for await (const entry of await opendir(folder)) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) total += await bytesUnder(full);
      else if (entry.isFile()) total += (await lstat(full)).size;
    }
  } catch {
    // A folder removed while being measured holds nothing.
  }
  return total;
}

export class UploadStore {
  readonly #uploads = new Map<string, Upload>();
  readonly #limits: UploadLimits;
  /** Real path of the uploads area, once `open` has made it. */
  #area = '';
  /** Bytes of the finished uploads, measured at start and kept up to date as uploads finish. */
  #finishedBytes = 0;

  constructor(
    readonly directory: string,
    limits: Partial<UploadLimits> = {},
  ) {
    this.#limits = { ...UPLOAD_LIMITS, ...limits };
  }

  /** Makes the area, clears what a stopped host left half-uploaded; answers its real path. */
  async open(): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    this.#area = await realpath(this.directory);
    await rm(path.join(this.#area, INCOMING), { recursive: true, force: true });
    this.#finishedBytes = await bytesUnder(this.#area);
    return this.#area;
  }

  get areaBytes(): number {
    let total = this.#finishedBytes;
    for (const upload of this.#uploads.values()) total += upload.bytes;
    return total;
  }

  async begin(name: string): Promise<Result<{ uploadId: string }>> {
    if (!this.#area) return fail('UNSUPPORTED', 'The uploads area is not ready.');
    await this.#dropIdle();
    if (this.areaBytes >= this.#limits.areaBytes) return this.#areaFull();
    const uploadId = randomUUID();
    const folder = path.join(this.#area, INCOMING, uploadId);
    await mkdir(folder, { recursive: true });
    this.#uploads.set(uploadId, {
      name: uploadFolderName(name),
      folder,
      files: 0,
      bytes: 0,
      paths: new Set(),
      touchedAt: Date.now(),
      queue: Promise.resolve(),
    });
    return ok({ uploadId });
  }

  addFiles(uploadId: string, files: UploadFile[]): Promise<Result<UploadReceived>> {
    return this.#inTurn(uploadId, (upload) => this.#addFiles(upload, files));
  }

  /** Moves the upload to `<name>`, or `<name>-2`, `-3`… when taken; answers that folder's name. */
  finish(uploadId: string): Promise<Result<{ relativePath: string; files: number; bytes: number }>> {
    return this.#inTurn(uploadId, (upload) => this.#finish(uploadId, upload));
  }

  /** Removes an unfinished upload and its files; false when there was none by that id. */
  async cancel(uploadId: string): Promise<boolean> {
    const removed = await this.#inTurn(uploadId, async (upload) => {
      this.#uploads.delete(uploadId);
      await rm(upload.folder, { recursive: true, force: true });
      return ok(true);
    });
    return removed.ok;
  }

  /** Runs `work` after the upload's earlier calls; NOT_FOUND when it is gone by then. */
  #inTurn<T>(uploadId: string, work: (upload: Upload) => Promise<Result<T>>): Promise<Result<T>> {
    const upload = this.#uploads.get(uploadId);
    if (!upload) return Promise.resolve(this.#unknown());
    const run = upload.queue.then(() =>
      this.#uploads.get(uploadId) === upload ? work(upload) : this.#unknown(),
    );
    upload.queue = run.catch(() => undefined);
    return run;
  }

  async #addFiles(upload: Upload, files: UploadFile[]): Promise<Result<UploadReceived>> {
    upload.touchedAt = Date.now();
    const skipped: UploadSkip[] = [];
    const keep: UploadFile[] = [];
    const inCall = new Set<string>();
    for (const file of files) {
      const reason = this.#skipReason(upload, file, inCall);
      if (reason) skipped.push({ relativePath: file.relativePath, reason });
      else {
        keep.push(file);
        inCall.add(file.relativePath.toLowerCase());
      }
    }
    const bytes = keep.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    if (upload.files + keep.length > this.#limits.uploadFiles) {
      return fail(
        'TOO_LARGE',
        `An upload holds at most ${this.#limits.uploadFiles.toLocaleString('en')} files; upload the folder in parts.`,
      );
    }
    if (upload.bytes + bytes > this.#limits.uploadBytes) {
      return fail(
        'TOO_LARGE',
        `An upload holds at most ${megabytes(this.#limits.uploadBytes)}; upload the folder in parts.`,
      );
    }
    if (this.areaBytes + bytes > this.#limits.areaBytes) return this.#areaFull();
    for (const file of keep) {
      const written = await this.#write(upload, file);
      if (!written.ok) return written;
      upload.paths.add(file.relativePath.toLowerCase());
      upload.files += 1;
      upload.bytes += file.bytes.byteLength;
    }
    return ok({ received: keep.length, skipped, uploadBytes: upload.bytes });
  }

  async #finish(
    uploadId: string,
    upload: Upload,
  ): Promise<Result<{ relativePath: string; files: number; bytes: number }>> {
    if (upload.files === 0) {
      this.#uploads.delete(uploadId);
      await rm(upload.folder, { recursive: true, force: true });
      return fail('EMPTY', 'No image was uploaded: the folder had no images this host reads.');
    }
    for (let n = 1; n < 10_000; n++) {
      const name = n === 1 ? upload.name : `${upload.name}-${n}`;
      try {
        // Refuses a taken name: rename fails onto a folder that holds anything, and a plain
        // file of that name, so nothing uploaded before is ever replaced.
        await rename(upload.folder, path.join(this.#area, name));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') continue;
        throw error;
      }
      this.#uploads.delete(uploadId);
      this.#finishedBytes += upload.bytes;
      return ok({ relativePath: name, files: upload.files, bytes: upload.bytes });
    }
    return fail('TOO_LARGE', 'Too many uploads share that name; rename the folder and upload it again.');
  }

  #skipReason(upload: Upload, file: UploadFile, inCall: Set<string>): string | null {
    // The schema already refused bad paths; the store checks again as it writes to disk.
    const problem = uploadPathProblem(file.relativePath);
    if (problem) return `Not a plain file path: ${problem}.`;
    if (!isImageFileName(path.posix.basename(file.relativePath)))
      return 'Not an image this host reads (by its extension).';
    if (file.bytes.byteLength === 0) return 'The file is empty.';
    if (file.bytes.byteLength > this.#limits.fileBytes)
      return `Larger than ${megabytes(this.#limits.fileBytes)}: too big to upload (shrink it first).`;
    const key = file.relativePath.toLowerCase();
    if (upload.paths.has(key) || inCall.has(key)) return 'A file of the same path was already uploaded.';
    return null;
  }

  async #write(upload: Upload, file: UploadFile): Promise<Result<void>> {
    const target = path.join(upload.folder, ...file.relativePath.split('/'));
    const parent = path.dirname(target);
    await mkdir(parent, { recursive: true });
    // The folders are the store's own, but a link placed inside by hand must not lead a write out.
    const realParent = await realpath(parent);
    if (realParent !== upload.folder && !realParent.startsWith(upload.folder + path.sep)) {
      return fail('PATH_REFUSED', 'That path leads outside the upload; nothing was written there.');
    }
    try {
      await writeFile(path.join(realParent, path.basename(target)), file.bytes, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        return fail('PATH_REFUSED', 'A file of that path is already there; nothing was written over it.');
      throw error;
    }
    return ok(undefined);
  }

  #areaFull(): Result<never> {
    return fail(
      'TOO_LARGE',
      `The uploads area is full (${megabytes(this.#limits.areaBytes)} in all): ` +
        'remove earlier uploads from the host’s uploads folder, or start it with --data-root DIR.',
    );
  }

  #unknown(): Result<never> {
    return fail('NOT_FOUND', 'That upload is not in progress (it finished, was cancelled or timed out).');
  }

  async #dropIdle(): Promise<void> {
    const now = Date.now();
    for (const [id, upload] of this.#uploads) if (now - upload.touchedAt > IDLE_MS) await this.cancel(id);
  }
}
