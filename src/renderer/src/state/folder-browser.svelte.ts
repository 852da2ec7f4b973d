/**
 * The in-app folder browser, for hosts without a native folder dialog (the browser host): the
 * allowed roots, then the sub-folders of wherever the user has walked to. Names only; the host
 * keeps real paths to itself.
 */
import type { FolderListing, FolderRoot } from '../../../shared/dataset-types';
import { EngineFetch } from './engine-fetch.svelte';

export class FolderBrowserState extends EngineFetch {
  visible = $state(false);
  /** Null until the host has answered. */
  roots = $state.raw<FolderRoot[] | null>(null);
  /** The root being walked, or null while the roots themselves are listed. */
  root = $state.raw<FolderRoot | null>(null);
  listing = $state.raw<FolderListing | null>(null);

  /** Path segments below the root, for the breadcrumbs. */
  segments = $derived(this.listing?.relativePath ? this.listing.relativePath.split('/') : []);

  /** Opens the browser where the user left it, with a fresh list of roots. */
  async show(): Promise<void> {
    this.visible = true;
    await this.loadRoots();
    if (this.root && this.listing) await this.#browse(this.root, this.listing.relativePath);
  }

  hide(): void {
    this.visible = false;
  }

  async loadRoots(): Promise<void> {
    await this.load(
      () => this.api.invoke('dataset:list-roots', {}),
      (roots) => {
        this.roots = roots;
        // A root the host no longer offers cannot be walked any more.
        if (this.root && !roots.some((r) => r.id === this.root?.id)) this.showRoots();
      },
    );
  }

  openRoot(root: FolderRoot): Promise<void> {
    return this.#browse(root, '');
  }

  enter(folder: string): Promise<void> {
    if (!this.root || !this.listing) return Promise.resolve();
    const base = this.listing.relativePath;
    return this.#browse(this.root, base ? `${base}/${folder}` : folder);
  }

  /** To the parent folder; from a root's top, back to the list of roots. */
  up(): Promise<void> {
    if (!this.root || !this.listing) return Promise.resolve();
    if (this.listing.relativePath === '') {
      this.showRoots();
      return Promise.resolve();
    }
    return this.#browse(this.root, this.segments.slice(0, -1).join('/'));
  }

  /** To the breadcrumb `depth` segments below the root (0 = the root itself). */
  goTo(depth: number): Promise<void> {
    if (!this.root) return Promise.resolve();
    return this.#browse(this.root, this.segments.slice(0, depth).join('/'));
  }

  showRoots(): void {
    this.drop();
    this.root = null;
    this.listing = null;
  }

  async #browse(root: FolderRoot, relativePath: string): Promise<void> {
    await this.load(
      () => this.api.invoke('dataset:browse', { rootId: root.id, relativePath }),
      (listing) => {
        this.root = root;
        this.listing = listing;
      },
      (result) =>
        result.code === 'NOT_FOUND'
          ? 'That folder is no longer there.'
          : result.code === 'PATH_REFUSED'
            ? `The host refused that folder: ${result.message}`
            : result.message,
    );
  }
}
