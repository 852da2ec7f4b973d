/**
 * Room for a line chart's left axis: its tick labels, then its rotated name. A fixed margin fits
 * losses in the hundreds (MNIST) but not the tens of thousands of nats of a 64×64 colour image,
 * whose "55,000" then ran into the axis name.
 */

/** Widths in pixels at the axes' 11 px tabular figures: a digit or minus, and a comma or point. */
const FIGURE_PX = 7;
const NARROW_PX = 3.5;
/** Between the widest tick label and the middle of the rotated name (half its height and a gap). */
const NAME_GAP = 10;
/** From the middle of the rotated name to the chart's left edge. */
const NAME_TO_EDGE = 12;

/** About how wide a tick label is drawn; generous, so labels never touch the name. */
export function tickLabelWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char === ',' || char === '.' || char === ' ' ? NARROW_PX : FIGURE_PX;
  return width;
}

export interface LeftAxisSpace {
  /** From the plot's left edge to the middle of the axis name. */
  labelOffset: number;
  /** The chart's left margin. */
  marginLeft: number;
}

/** The axis name sits at least `minOffset` from the plot, further when the labels need it. */
export function leftAxisSpace(labels: readonly string[], minOffset: number, tickPadding = 8): LeftAxisSpace {
  const widest = Math.max(0, ...labels.map(tickLabelWidth));
  const labelOffset = Math.max(minOffset, Math.ceil(tickPadding + widest + NAME_GAP));
  return { labelOffset, marginLeft: labelOffset + NAME_TO_EDGE };
}
