/**
 * How the user looks at a run's latent map: the field the points are coloured by, the legend
 * categories hidden, the points chosen (by lasso or by search), the point under the pointer and
 * the pinned one. Everything the scatter draws from these (colour bytes, masks) is derived here.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { LatentPoints } from '../../../shared/projection-types';
import { keepVisible, searchPoints, selectionMask, visibleMask } from '../lib/map-points';
import { LABEL_FIELD, colourBytes, colourFields, pointColouring } from '../lib/point-colours';

/** The hovered point and where the pointer is, in client coordinates. */
export interface MapHover {
  index: number;
  x: number;
  y: number;
}

const NONE = new Uint32Array(0);

export class MapViewState {
  readonly #points: () => LatentPoints | null;
  /** The field the user picked; the label stands in while the points have no such field. */
  colourBy = $state(LABEL_FIELD);
  /** Categories of the colour field taken off the map (legend toggles). */
  readonly hidden = new SvelteSet<number>();
  lasso = $state.raw<Uint32Array | null>(null);
  query = $state('');
  pinned = $state<number | null>(null);
  hover = $state.raw<MapHover | null>(null);
  /** The grid of the selected images is open. */
  showingSelected = $state(false);

  fields = $derived.by(() => colourFields(this.#points()));
  field = $derived(this.fields.includes(this.colourBy) ? this.colourBy : LABEL_FIELD);
  colouring = $derived.by(() => {
    const points = this.#points();
    return points ? pointColouring(points, this.field) : null;
  });
  colours = $derived(this.colouring ? colourBytes(this.colouring) : new Uint8Array(0));
  visible = $derived(
    this.colouring?.kind === 'categorical' ? visibleMask(this.colouring.index, this.hidden) : null,
  );
  /** The search's finds, or null while the box is empty. */
  matches = $derived.by(() => {
    const points = this.#points();
    return points && this.query.trim() ? searchPoints(points, this.query) : null;
  });
  /** The chosen points that are on the map: a typed query's finds, else the lasso's. */
  selection = $derived(keepVisible(this.matches ?? this.lasso ?? NONE, this.visible));
  selected = $derived.by(() => selectionMask(this.selection, this.#points()?.count ?? 0));
  /** The point ringed on the map: the one under the pointer, else the pinned one. */
  highlight = $derived(this.hover?.index ?? this.pinned);

  constructor(points: () => LatentPoints | null) {
    this.#points = points;
  }

  setColourBy(field: string): void {
    this.colourBy = field;
    // Hidden categories belong to the old field; they mean nothing for the new one.
    this.hidden.clear();
  }

  toggleCategory(category: number): void {
    if (!this.hidden.delete(category)) this.hidden.add(category);
  }

  showAllCategories(): void {
    this.hidden.clear();
  }

  /** A lasso replaces the selection, search included; an empty one clears it. */
  lassoed(indices: Uint32Array): void {
    this.query = '';
    this.lasso = indices.length ? indices : null;
  }

  clearSelection(): void {
    this.lasso = null;
    this.query = '';
    this.showingSelected = false;
  }

  hovered(index: number | null, x: number, y: number): void {
    this.hover = index === null ? null : { index, x, y };
  }

  /** A click pins the point under it; a click on empty space lets the pinned one go. */
  clicked(index: number | null): void {
    this.pinned = index;
  }

  /** Another run's points: nothing chosen carries over. */
  reset(): void {
    this.colourBy = LABEL_FIELD;
    this.hidden.clear();
    this.lasso = null;
    this.query = '';
    this.pinned = null;
    this.hover = null;
    this.showingSelected = false;
  }
}
