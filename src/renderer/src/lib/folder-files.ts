/**
 * The files of a folder the user picked (`<input webkitdirectory>`) or dropped, with their paths
 * inside it (subfolders are class labels, so the paths are kept). The folder's own name names the
 * upload.
 */

export interface PickedFile {
  /** Path inside the picked folder, `/`-separated: `cats/a.png`. */
  relativePath: string;
  file: File;
}

export interface PickedFolder {
  name: string;
  files: PickedFile[];
}

/** Files from an `<input webkitdirectory>`: each carries `top/cats/a.png`; `top` is the name. */
export function filesFromInput(list: FileList | readonly File[]): PickedFolder {
  const files = [...list];
  const first = files[0]?.webkitRelativePath ?? '';
  const name = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'upload';
  return {
    name,
    files: files.map((file) => {
      const full = file.webkitRelativePath || file.name;
      return { relativePath: full.includes('/') ? full.slice(full.indexOf('/') + 1) : full, file };
    }),
  };
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;
const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (isFile(entry)) {
    out.push({ relativePath: `${prefix}${entry.name}`, file: await fileOf(entry) });
    return;
  }
  if (!isDirectory(entry)) return;
  // Hidden folders (.git, .thumbnails) would be refused anyway: not worth reading.
  if (entry.name.startsWith('.')) return;
  const reader = entry.createReader();
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/**
 * Files from a drop. One dropped folder is the upload (its name, its contents); several items,
 * or loose files, are uploaded together under the name "upload", each folder keeping its name.
 * Null when the drop held no files (text, a link).
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<PickedFolder | null> {
  // Entries must be taken before the first await: the browser empties the transfer after the event.
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) {
    // Files a page built itself (or a browser without entries) still carry their names.
    const loose = [...transfer.files];
    return loose.length === 0
      ? null
      : { name: 'upload', files: loose.map((file) => ({ relativePath: file.name, file })) };
  }
  const only = entries.length === 1 ? entries[0] : undefined;
  const files: PickedFile[] = [];
  if (only && isDirectory(only)) {
    const inside: PickedFile[] = [];
    await walk(only, '', inside);
    const prefix = `${only.name}/`;
    return {
      name: only.name,
      files: inside.map((f) => ({ ...f, relativePath: f.relativePath.slice(prefix.length) })),
    };
  }
  for (const entry of entries) await walk(entry, '', files);
  return { name: 'upload', files };
}
