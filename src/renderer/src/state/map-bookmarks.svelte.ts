/**
 * The named bookmarks of the map's run (`latent:list-bookmarks` and friends): the list, reloaded
 * whenever another run is shown, and saving and deleting one. What a bookmark holds is gathered
 * and put back by the map (LatentMapState.bookmark / restore); this only keeps the list.
 */
import type { Api } from '../../../shared/contract';
import type { MapBookmark, NewMapBookmark } from '../../../shared/map-bookmarks';
import { NewestRequest } from '../lib/newest-request';

export class MapBookmarksState {
  runId = $state<string | null>(null);
  /** Oldest first, as the run folder keeps them. */
  list = $state.raw<MapBookmark[]>([]);
  loading = $state(false);
  /** Saving or deleting. */
  busy = $state(false);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #requests = new NewestRequest();

  constructor(api: Api) {
    this.#api = api;
  }

  /** Shows a run's bookmarks (null: none); the same run again changes nothing. */
  show(runId: string | null): void {
    if (runId === this.runId) return;
    this.#requests.drop();
    this.runId = runId;
    this.list = [];
    this.error = null;
    this.busy = false;
    this.loading = false;
    if (runId !== null) void this.reload();
  }

  async reload(): Promise<void> {
    const runId = this.runId;
    if (runId === null) return;
    await this.#requests.send(
      () => this.#api.invoke('latent:list-bookmarks', { runId }),
      (on) => (this.loading = on),
      (result) => {
        if (!result.ok) {
          this.error = `Could not read the bookmarks: ${result.message}`;
          return;
        }
        this.list = result.value;
        this.error = null;
      },
    );
  }

  /** Saves `bookmark` (one of the same name, any case, is replaced); the saved one, or null. */
  async save(bookmark: NewMapBookmark): Promise<MapBookmark | null> {
    const runId = this.runId;
    if (runId === null) return null;
    this.busy = true;
    this.error = null;
    try {
      const result = await this.#api.invoke('latent:save-bookmark', { runId, bookmark });
      if (this.runId !== runId) return null;
      if (!result.ok) {
        this.error = `Could not save “${bookmark.name}”: ${result.message}`;
        return null;
      }
      const saved = result.value;
      const at = this.list.findIndex((b) => b.id === saved.id);
      this.list = at >= 0 ? this.list.map((b, i) => (i === at ? saved : b)) : [...this.list, saved];
      return saved;
    } finally {
      if (this.runId === runId) this.busy = false;
    }
  }

  async remove(id: string): Promise<void> {
    const runId = this.runId;
    if (runId === null) return;
    this.busy = true;
    this.error = null;
    try {
      const result = await this.#api.invoke('latent:delete-bookmark', { runId, id });
      if (this.runId !== runId) return;
      if (!result.ok) {
        this.error = `Could not delete the bookmark: ${result.message}`;
        return;
      }
      this.list = this.list.filter((b) => b.id !== id);
    } finally {
      if (this.runId === runId) this.busy = false;
    }
  }
}
