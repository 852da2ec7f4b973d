/**
 * One pre-rendered disc per colour, so drawing ten thousand points is ten thousand `drawImage`
 * calls rather than ten thousand path fills, and points can be drawn in index order (fair
 * overlap between classes) without switching fill styles.
 */
export interface Sprite {
  image: HTMLCanvasElement;
  /** Size in CSS pixels; the image itself is `size × dpr`. */
  size: number;
}

export class PointSprites {
  #cache = new Map<string, Sprite>();

  get(colour: string, radius: number, dpr: number): Sprite {
    const key = `${colour}|${radius.toFixed(2)}|${dpr}`;
    let sprite = this.#cache.get(key);
    if (!sprite) {
      sprite = draw(colour, radius, dpr);
      // Zooming walks through many radii; keep the cache from growing without bound.
      if (this.#cache.size > 256) this.#cache.clear();
      this.#cache.set(key, sprite);
    }
    return sprite;
  }
}

function draw(colour: string, radius: number, dpr: number): Sprite {
  const size = Math.ceil(radius * 2 + 2);
  const image = document.createElement('canvas');
  image.width = Math.ceil(size * dpr);
  image.height = Math.ceil(size * dpr);
  const ctx = image.getContext('2d');
  if (ctx) {
    ctx.scale(dpr, dpr);
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(size / 2, size / 2, radius, 0, Math.PI * 2);
    ctx.fill();
  }
  return { image, size };
}
