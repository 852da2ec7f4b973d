/**
 * Uploading a folder of images to the browser host: the limits both sides keep, and the rule for
 * a file's path inside the upload (subfolders are class labels, so the path is kept, but only as
 * plain, visible, bounded segments).
 */
import type { FolderRoot } from './dataset-types';

const MB = 1024 * 1024;

export const UPLOAD_LIMITS = {
  /** One image file; bigger ones are skipped with the reason (a training image needs far less). */
  fileBytes: 8 * MB,
  /** File bytes in one `dataset:upload-files` call: a WebSocket frame takes 16 MB at most. */
  callBytes: 8 * MB,
  /** Files in one call. */
  callFiles: 500,
  /** One upload, all its files together. */
  uploadBytes: 2 * 1024 * MB,
  /** Files in one upload. */
  uploadFiles: 100_000,
  /** Everything in the host's uploads area, finished uploads and those in progress. */
  areaBytes: 10 * 1024 * MB,
  /** Characters in a relative path, in one segment, and segments in a path (the file included). */
  pathLength: 512,
  segmentLength: 128,
  depth: 8,
  /** Characters of the name the user gave (the folder's own name), before it is tidied. */
  nameLength: 200,
} as const;

/** A file of an upload: its path inside the uploaded folder (`cats/a.png`) and its bytes. */
export interface UploadFile {
  relativePath: string;
  bytes: Uint8Array;
}

export interface UploadSkip {
  relativePath: string;
  reason: string;
}

export interface UploadStarted {
  uploadId: string;
}

export interface UploadReceived {
  /** Files of this call that were kept. */
  received: number;
  /** Files of this call that were not, each with why. */
  skipped: UploadSkip[];
  /** Bytes kept so far in this upload. */
  uploadBytes: number;
}

export interface UploadFinished {
  /** The uploads root; open `relativePath` inside it like any other folder. */
  root: FolderRoot;
  /** The upload's own new folder (its name tidied and made unique). */
  relativePath: string;
  files: number;
  bytes: number;
}

// Characters Windows or a shell would trip on, and every control character.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f<>:"|?*\\\u2028\u2029]/u;

/** Why `relativePath` cannot name a file inside an upload, or null when it can. */
export function uploadPathProblem(relativePath: string): string | null {
  if (relativePath.length === 0 || relativePath.length > UPLOAD_LIMITS.pathLength)
    return `a path of 1 to ${UPLOAD_LIMITS.pathLength} characters`;
  if (relativePath.startsWith('/')) return 'a relative path';
  const segments = relativePath.split('/');
  if (segments.length > UPLOAD_LIMITS.depth) return `at most ${UPLOAD_LIMITS.depth - 1} folders deep`;
  for (const segment of segments) {
    if (segment === '' || segment.length > UPLOAD_LIMITS.segmentLength)
      return `names of 1 to ${UPLOAD_LIMITS.segmentLength} characters`;
    // Leading dots are `.`, `..` and hidden files; trailing dots and spaces vanish on Windows.
    if (segment.startsWith('.')) return 'no hidden files or folders';
    if (/[. ]$/.test(segment) || segment !== segment.trim()) return 'no names ending in a dot or space';
    if (UNSAFE_CHARACTER.test(segment)) return 'no control characters, backslashes or <>:"|?*';
  }
  return null;
}

/** A folder name made from what the user called the upload: letters, digits, `-`, `_`, `.`, spaces. */
export function uploadFolderName(name: string): string {
  const tidy = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} _.-]+/gu, '-')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, 64)
    .replace(/[\s.-]+$/, '');
  return tidy === '' ? 'upload' : tidy;
}
