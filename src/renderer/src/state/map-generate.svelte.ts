/**
 * The map's generative tools, beside the map state they read: images brought from outside placed
 * among the points, an attribute vector walked from the pinned point, and the layers over the
 * plot (decoded tiles, density contours). The latent map panel makes one and hands it down through
 * context to the toolbar, the plot's layers and the side column, which all share it.
 */
import { createContext, onDestroy } from 'svelte';
import type { Api } from '../../../shared/contract';
import { fitAffineView, placeCode, type MapFrame, type Placement } from '../lib/place-on-map';
import type { ScatterView } from '../lib/scatter-view';
import { IPC_LIMITS, WEBSOCKET_LIMITS } from '../lib/upload-batches';
import { getApi } from '../lib/api';
import { AttributeVectorState, type WalkInput } from './attribute-vector.svelte';
import type { LatentMapState } from './latent-map.svelte';
import { MapTilesState } from './map-tiles.svelte';
import { PlacedImagesState, type PlacedEntry } from './placed-images.svelte';

export interface PlacedOnMap {
  entry: PlacedEntry;
  /** Null until the codes of the layout's epoch are here. */
  placement: Placement | null;
}

export class MapGenerateState {
  readonly placed: PlacedImagesState;
  readonly attribute: AttributeVectorState;
  readonly tiles: MapTilesState;
  /** The layers over the plot the toolbar turns on. */
  showTiles = $state(false);
  showDensity = $state(false);
  /** How the scatter shows the layout now (size, zoom, scales): what the layers line up with. */
  view = $state.raw<ScatterView | null>(null);
  /** The placed image whose row the pointer is on: its marker is drawn larger. */
  highlightPlaced = $state<number | null>(null);

  readonly #map: LatentMapState;

  /** The layout on screen with the codes of its epoch: what placements and the walk read. */
  frame = $derived.by((): MapFrame | null => {
    const layout = this.#map.drawn;
    const codes = this.#map.codes;
    if (!layout || !codes || codes.epoch !== layout.epoch || codes.count !== layout.count) return null;
    return {
      method: layout.method,
      means: codes.values,
      count: codes.count,
      dim: codes.dim,
      positions: layout.positions,
    };
  });
  /** PCA and raw axes: the affine view of the codes the layout is (fitted once per layout). */
  #affine = $derived.by(() => {
    const frame = this.frame;
    return frame && (frame.method === 'pca' || frame.method === 'axes') ? fitAffineView(frame) : null;
  });
  /** The run's placed images and where each goes on the layout shown. */
  placements = $derived.by((): PlacedOnMap[] => {
    const frame = this.frame;
    const affine = this.#affine;
    return this.placed.of(this.#map.runId).placed.map((entry) => ({
      entry,
      placement: frame ? placeCode(frame, entry.mean, affine) : null,
    }));
  });
  /** What the attribute vector walks from: the pinned point's code among the timeline epoch's codes. */
  walkInput = $derived.by((): WalkInput | null => {
    const { runId, points, codes } = this.#map;
    const pinned = this.#map.view.pinned;
    if (runId === null || !points || !codes || pinned === null) return null;
    return { runId, epoch: codes.epoch, points, codes, pinned };
  });
  walk = $derived.by(() => this.attribute.walk(this.walkInput));

  constructor(api: Api, map: LatentMapState, hostCarriesLargeFiles: boolean) {
    this.#map = map;
    this.placed = new PlacedImagesState(api, hostCarriesLargeFiles ? IPC_LIMITS : WEBSOCKET_LIMITS);
    this.attribute = new AttributeVectorState(api);
    this.tiles = new MapTilesState(api);
  }

  /** Places picked or dropped files on the map shown. */
  async place(files: readonly File[]): Promise<void> {
    const runId = this.#map.runId;
    if (runId === null) return;
    await this.placed.add(runId, files, this.#map.newestEpoch);
  }

  dispose(): void {
    this.attribute.dispose();
    this.tiles.dispose();
  }
}

const [getMapGenerate, setMapGenerate] = createContext<MapGenerateState>();
export { getMapGenerate };

/** Makes the map's generative tools for the calling component and its children (during its init). */
export function provideMapGenerate(map: LatentMapState): MapGenerateState {
  // Electron's IPC carries a 25 MB file; the browser host's WebSocket frames stop at 16 MB.
  const state = setMapGenerate(new MapGenerateState(getApi(), map, Boolean(window.api)));
  onDestroy(() => state.dispose());
  return state;
}
