/**
 * The generative overlay: what the model decodes at the centres of a grid over the part of the map
 * in view (lib/tile-grid.ts), in one `gallery:decode-grid` call. Pan and zoom fire many times a
 * second, so a grid is asked for only once the view has rested for REST_MS; until the answer
 * comes, the old tiles stay on the spots they were decoded at (the layer moves them with the view).
 */
import type { DecodedImages, MapSpot } from '../../../shared/gallery-types';
import type { LatentLayout } from '../../../shared/projection-types';
import type { ScatterView } from '../lib/scatter-view';
import { tileGrid, type TileGrid } from '../lib/tile-grid';
import { EngineFetch } from './engine-fetch.svelte';

/** How long pan and zoom must rest before the tiles for the new view are asked for. */
const REST_MS = 250;

/** Decoded tiles and what they were decoded for. */
export interface DecodedTiles {
  runId: string;
  /** The layout whose coordinates the grid is in: tiles of another layout are not drawn. */
  layout: LatentLayout;
  grid: TileGrid;
  images: DecodedImages;
}

export class MapTilesState extends EngineFetch {
  tiles = $state.raw<DecodedTiles | null>(null);

  #timer: ReturnType<typeof setTimeout> | null = null;

  /** A grid is being decoded. */
  get busy(): boolean {
    return this.loading;
  }

  /**
   * The overlay is on over `layout` (a finished layout of a whole epoch) seen through `view`:
   * tiles for it once the view rests. Null: the overlay is off, or there is nothing to decode.
   */
  want(request: { runId: string; layout: LatentLayout; view: ScatterView } | null): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (!request) {
      this.requests.drop();
      this.loading = false;
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#decode(request.runId, request.layout, request.view);
    }, REST_MS);
  }

  clear(): void {
    this.want(null);
    this.tiles = null;
    this.error = null;
  }

  dispose(): void {
    this.want(null);
  }

  async #decode(runId: string, layout: LatentLayout, view: ScatterView): Promise<void> {
    const grid = tileGrid(view.width, view.height, view.scales);
    if (!grid) return;
    const spots: MapSpot[] = [];
    for (let i = 0; i < grid.spots.length; i += 2) {
      spots.push({ epoch: layout.epoch, method: layout.method, x: grid.spots[i]!, y: grid.spots[i + 1]! });
    }
    await this.load(
      () => this.api.invoke('gallery:decode-grid', { runId, spots }),
      (images) => {
        this.tiles = { runId, layout, grid, images };
      },
      (result) => `Could not decode the map's tiles: ${result.message}`,
    );
  }
}
