/**
 * The allow-list of folders datasets may come from: folders the user picked in a native dialog,
 * or given to `serve --data-root`. The renderer names a folder by root id and a relative path;
 * this resolves it and refuses anything that ends up outside the root (`..`, symlinks out, NUL).
 */
import { createHash } from 'node:crypto';
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FolderListing, FolderRoot, FolderRootOrigin } from '../../shared/dataset-types';
import { fail, ok, type Result } from '../../shared/result';
import { isImageFileName } from '../engine/data/folder/image-extensions';

interface Root extends FolderRoot {
  /** Real (symlink-free) absolute path. */
  real: string;
}

/** A root as the renderer may see it: never its real path. */
function publicRoot({ real: _real, ...shown }: Root): FolderRoot {
  return shown;
}

export class FolderRoots {
  private readonly roots = new Map<string, Root>();

  /**
   * Adds a folder the user chose (or the host was given); returns its public handle. `about`
   * names it (default: its last segment) and says why it is offered.
   */
  async add(
    folder: string,
    about: { name?: string; origin?: FolderRootOrigin; shownAs?: string } = {},
  ): Promise<FolderRoot> {
    const real = await realpath(folder);
    if (!(await stat(real)).isDirectory()) throw new Error(`${folder} is not a folder`);
    const id = createHash('sha256').update(real).digest('hex').slice(0, 12);
    const root: Root = { id, name: about.name ?? (path.basename(real) || real), real };
    if (about.origin) root.origin = about.origin;
    if (about.shownAs) root.shownAs = about.shownAs;
    this.roots.set(id, root);
    return publicRoot(root);
  }

  list(): FolderRoot[] {
    return [...this.roots.values()].map(publicRoot);
  }

  /** The real absolute path of a folder inside a root, or why it cannot be used. */
  async resolve(rootId: string, relativePath: string): Promise<Result<string>> {
    const root = this.roots.get(rootId);
    if (!root) return fail('NOT_FOUND', 'That folder is not one of the allowed folders; choose it again.');
    const segments = relativePath === '' ? [] : relativePath.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes('\\'))) {
      return fail('PATH_REFUSED', 'Folder paths must stay inside the chosen folder.');
    }
    let real: string;
    try {
      real = await realpath(path.join(root.real, ...segments));
    } catch {
      return fail('NOT_FOUND', 'That folder does not exist (any more).');
    }
    if (real !== root.real && !real.startsWith(root.real + path.sep)) {
      return fail(
        'PATH_REFUSED',
        'That folder leads outside the chosen folder (through a link); it is not allowed.',
      );
    }
    if (!(await stat(real)).isDirectory()) return fail('NOT_FOUND', 'That is not a folder.');
    return ok(real);
  }

  async browse(rootId: string, relativePath: string): Promise<Result<FolderListing>> {
    const resolved = await this.resolve(rootId, relativePath);
    if (!resolved.ok) return resolved;
    const folders: string[] = [];
    let imageFiles = 0;
    try {
      for await (const entry of await opendir(resolved.value)) {
        if (entry.name.startsWith('.')) continue;
        if (entry.isDirectory()) folders.push(entry.name);
        else if (entry.isFile() && isImageFileName(entry.name)) imageFiles++;
        else if (entry.isSymbolicLink()) {
          // Only links that stay inside the root are offered; the rest could not be opened anyway.
          const inside = await this.resolve(
            rootId,
            relativePath ? `${relativePath}/${entry.name}` : entry.name,
          );
          if (inside.ok) folders.push(entry.name);
        }
      }
    } catch {
      return fail('PATH_REFUSED', 'That folder cannot be read (permission denied).');
    }
    return ok({ rootId, relativePath, folders: folders.sort(), imageFiles });
  }
}
