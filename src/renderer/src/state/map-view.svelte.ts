/**
 * How the user looks at a run's latent map: the field the points are coloured by, the legend
 * categories hidden, the points chosen (by lasso, search, or a side-column list), the point under
 * the pointer and the pinned one. Everything the scatter draws from these (colour bytes, masks) is
 * derived here.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { LatentPoints } from '../../../shared/projection-types';
import { keepVisible, searchPoints, selectionMask, visibleMask } from '../lib/map-points';
import {
  LABEL_FIELD,
  colourBytes,
  colourFieldList,
  hasColourData,
  pointColouring,
  type ColourData,
} from '../lib/point-colours';

/** The hovered point and where the pointer is, in client coordinates. */
export interface MapHover {
  index: number;
  x: number;
  y: number;
}

/** Where a selection other than the search's came from, for the selection bar's words. */
export type ChosenBy = 'lasso' | 'neighbours' | 'outliers' | 'bookmark';

const NONE = new Uint32Array(0);

export class MapViewState {
  readonly #points: () => LatentPoints | null;
  readonly #data: () => ColourData;
  /** The field the user picked; the label stands in while the points have no such field. */
  colourBy = $state(LABEL_FIELD);
  /** Categories of the colour field taken off the map (legend toggles). */
  readonly hidden = new SvelteSet<number>();
  /** The chosen points (ascending) other than the search's; `chosenBy` says how they were chosen. */
  lasso = $state.raw<Uint32Array | null>(null);
  chosenBy = $state<ChosenBy>('lasso');
  query = $state('');
  pinned = $state<number | null>(null);
  hover = $state.raw<MapHover | null>(null);
  /** The grid of the selected images is open. */
  showingSelected = $state(false);

  fields = $derived.by(() => colourFieldList(this.#points()));
  /** The colour field's description (the label's while the points have no field by that key). */
  fieldInfo = $derived(this.fields.find((f) => f.key === this.colourBy) ?? this.fields[0]!);
  field = $derived(this.fieldInfo.key);
  /** What the field still waits for (scores or codes); the points keep their label colours meanwhile. */
  waitingFor = $derived.by(() => {
    const points = this.#points();
    const needs = this.fieldInfo.needs;
    return points && needs && !hasColourData(points, this.field, this.#data()) ? needs : null;
  });
  colouring = $derived.by(() => {
    const points = this.#points();
    return points ? pointColouring(points, this.field, this.#data()) : null;
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

  /** `data` is what some colour fields need besides the points: the scores, the epoch's codes. */
  constructor(points: () => LatentPoints | null, data: () => ColourData = () => ({})) {
    this.#points = points;
    this.#data = data;
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
    this.choose(indices, 'lasso');
  }

  /** Selects `indices` as a lasso would (the search box is cleared); none clears the selection. */
  choose(indices: ArrayLike<number>, by: ChosenBy): void {
    const sorted = Uint32Array.from(indices).sort();
    this.query = '';
    this.chosenBy = by;
    this.lasso = sorted.length ? sorted : null;
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
    this.chosenBy = 'lasso';
    this.query = '';
    this.pinned = null;
    this.hover = null;
    this.showingSelected = false;
  }
}
