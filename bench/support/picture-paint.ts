/** Drawing steps shared by the benchmarks' synthetic photo-like pictures (RGB, `size` × `size`). */

/** A linear gradient from `from` to `to` across the picture, along `angle` (radians). */
export function paintGradient(
  pixels: Buffer,
  size: number,
  from: number[],
  to: number[],
  angle: number,
): void {
  const [dx, dy] = [Math.cos(angle) / size, Math.sin(angle) / size];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + (x - size / 2) * dx + (y - size / 2) * dy));
      for (let c = 0; c < 3; c++) pixels[(y * size + x) * 3 + c] = from[c]! + (to[c]! - from[c]!) * t;
    }
  }
}

/** A flat disc (or square, when `disc` is false) of radius `r` around (cx, cy), clipped to the picture. */
export function paintShape(
  pixels: Buffer,
  size: number,
  [cx, cy, r]: number[],
  colour: number[],
  disc: boolean,
): void {
  for (let y = Math.max(0, Math.floor(cy! - r!)); y < Math.min(size, cy! + r!); y++) {
    for (let x = Math.max(0, Math.floor(cx! - r!)); x < Math.min(size, cx! + r!); x++) {
      if (disc && (x - cx!) ** 2 + (y - cy!) ** 2 > r! * r!) continue;
      pixels.set(colour, (y * size + x) * 3);
    }
  }
}
