/**
 * Which files of a picked or dropped folder are sent, and in which calls: non-images, hidden
 * files (`.DS_Store`), odd paths, empty and oversized files are left out here with the reason
 * (nothing to gain from sending them), and each call stays within what one WebSocket message
 * carries (UPLOAD_LIMITS.callBytes of file bytes, callFiles files).
 */
import { isImageFileName } from '../../../shared/image-extensions';
import { UPLOAD_LIMITS, uploadPathProblem } from '../../../shared/uploads';

export interface PlannedFile {
  relativePath: string;
  size: number;
}

export interface UploadPlan {
  /** Indices of the files each call sends, in the order given. */
  calls: number[][];
  skipped: { relativePath: string; reason: string }[];
  /** Bytes the calls send in all. */
  bytes: number;
}

const MB = 1024 * 1024;

function skipReason(file: PlannedFile, limits: typeof UPLOAD_LIMITS): string | null {
  const problem = uploadPathProblem(file.relativePath);
  if (problem) return `Left out: ${problem}.`;
  const name = file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1);
  if (!isImageFileName(name)) return 'Not an image this app reads (by its extension).';
  if (file.size === 0) return 'The file is empty.';
  if (file.size > limits.fileBytes)
    return `Larger than ${Math.round(limits.fileBytes / MB)} MB: too big to upload (shrink it first).`;
  return null;
}

export function planUpload(files: readonly PlannedFile[], limits = UPLOAD_LIMITS): UploadPlan {
  const calls: number[][] = [];
  const skipped: UploadPlan['skipped'] = [];
  let current: number[] = [];
  let callBytes = 0;
  let bytes = 0;
  files.forEach((file, index) => {
    const reason = skipReason(file, limits);
    if (reason) {
      skipped.push({ relativePath: file.relativePath, reason });
      return;
    }
    if (current.length >= limits.callFiles || callBytes + file.size > limits.callBytes) {
      calls.push(current);
      current = [];
      callBytes = 0;
    }
    current.push(index);
    callBytes += file.size;
    bytes += file.size;
  });
  if (current.length > 0) calls.push(current);
  return { calls, skipped, bytes };
}
