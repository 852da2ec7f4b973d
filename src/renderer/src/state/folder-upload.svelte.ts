/**
 * Uploading a folder to the browser host: the files are read and sent a call at a time (so the
 * page never holds more than one call's bytes), with progress, a cancel that removes what was
 * sent, and at the end the uploaded folder handed to the usual folder flow (preview → open).
 */
import type { Api } from '../../../shared/contract';
import type { FolderRoot } from '../../../shared/dataset-types';
import type { UploadFile, UploadSkip } from '../../../shared/uploads';
import type { PickedFolder } from '../lib/folder-files';
import { planUpload } from '../lib/upload-plan';

export type UploadPhase = 'idle' | 'sending' | 'done' | 'failed' | 'cancelled';

export class FolderUploadState {
  phase = $state<UploadPhase>('idle');
  /** The folder's name as the user knows it. */
  name = $state('');
  sentBytes = $state(0);
  totalBytes = $state(0);
  sentFiles = $state(0);
  totalFiles = $state(0);
  /** Files not uploaded, each with why: left out here or refused by the host. */
  skipped = $state.raw<UploadSkip[]>([]);
  error = $state<string | null>(null);
  /** Where the finished upload is, inside the uploads root. */
  result = $state.raw<{ root: FolderRoot; relativePath: string } | null>(null);

  fraction = $derived(this.totalBytes > 0 ? this.sentBytes / this.totalBytes : 0);
  busy = $derived(this.phase === 'sending');

  readonly #api: Api;
  readonly #finished: (root: FolderRoot, relativePath: string) => void;
  #uploadId: string | null = null;
  /**
   * Which upload is current: each upload and each cancel takes the next number, and a send loop
   * whose number is no longer current stops. A shared "cancelled" flag would be cleared by the
   * next upload while the cancelled loop still awaits its last call, which would then carry on
   * with a finished upload id and overwrite the new upload's status.
   */
  #generation = 0;

  constructor(api: Api, finished: (root: FolderRoot, relativePath: string) => void) {
    this.#api = api;
    this.#finished = finished;
  }

  async upload(folder: PickedFolder): Promise<void> {
    if (this.busy) return;
    const plan = planUpload(folder.files.map((f) => ({ relativePath: f.relativePath, size: f.file.size })));
    this.name = folder.name;
    this.skipped = plan.skipped;
    this.sentBytes = 0;
    this.sentFiles = 0;
    this.totalBytes = plan.bytes;
    this.totalFiles = plan.calls.reduce((n, call) => n + call.length, 0);
    this.error = null;
    this.result = null;
    const generation = ++this.#generation;
    const superseded = () => this.#generation !== generation;
    if (this.totalFiles === 0) {
      this.phase = 'failed';
      this.error = `No images to upload in “${folder.name}”: it holds no files this app reads.`;
      return;
    }
    this.phase = 'sending';
    const begun = await this.#api.invoke('dataset:upload-begin', { name: folder.name });
    if (superseded()) {
      // Cancelled while the host was opening it: nothing was sent, but the host holds it open.
      if (begun.ok) await this.#api.invoke('dataset:upload-cancel', { uploadId: begun.value.uploadId });
      return;
    }
    if (!begun.ok) return this.#fail(begun.message);
    const uploadId = begun.value.uploadId;
    this.#uploadId = uploadId;
    try {
      for (const call of plan.calls) {
        if (superseded()) return;
        const files: UploadFile[] = [];
        for (const index of call) {
          const picked = folder.files[index]!;
          files.push({
            relativePath: picked.relativePath,
            bytes: new Uint8Array(await picked.file.arrayBuffer()),
          });
        }
        if (superseded()) return;
        const sent = await this.#api.invoke('dataset:upload-files', { uploadId, files });
        if (superseded()) return;
        if (!sent.ok) {
          await this.#api.invoke('dataset:upload-cancel', { uploadId });
          if (superseded()) return;
          return this.#fail(sent.message);
        }
        this.sentFiles += files.length;
        this.sentBytes += files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
        if (sent.value.skipped.length > 0) this.skipped = [...this.skipped, ...sent.value.skipped];
      }
      const finished = await this.#api.invoke('dataset:upload-finish', { uploadId });
      if (superseded()) return;
      if (!finished.ok) return this.#fail(finished.message);
      this.phase = 'done';
      this.result = { root: finished.value.root, relativePath: finished.value.relativePath };
      this.#finished(finished.value.root, finished.value.relativePath);
    } catch (error) {
      // A file the browser can no longer read (moved or deleted since it was picked).
      await this.#api.invoke('dataset:upload-cancel', { uploadId });
      if (superseded()) return;
      this.#fail(`A file could not be read: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (this.#uploadId === uploadId) this.#uploadId = null;
    }
  }

  /** Stops sending and has the host remove what it received. */
  async cancel(): Promise<void> {
    if (!this.busy) return;
    this.#generation++;
    this.phase = 'cancelled';
    const uploadId = this.#uploadId;
    this.#uploadId = null;
    if (uploadId) await this.#api.invoke('dataset:upload-cancel', { uploadId });
  }

  #fail(message: string): void {
    this.phase = 'failed';
    this.error = message;
  }
}
