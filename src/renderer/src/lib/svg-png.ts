/**
 * An SVG chart on the page as a PNG file. The page styles the chart with CSS (classes, custom
 * properties), which an SVG drawn as an image does not see, so the styles each element ends up
 * with are written onto a copy first; the copy is drawn on a canvas at `scale`× over the page's
 * background colour.
 */

/** The properties the charts' look depends on. */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-dasharray',
  'stroke-linejoin',
  'stroke-linecap',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-variant-numeric',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

function inlineStyles(source: Element, copy: Element): void {
  const computed = getComputedStyle(source);
  if (copy instanceof SVGElement) {
    for (const property of STYLE_PROPERTIES)
      copy.style.setProperty(property, computed.getPropertyValue(property));
  }
  const copies = copy.children;
  Array.from(source.children).forEach((child, i) => {
    const twin = copies[i];
    if (twin) inlineStyles(child, twin);
  });
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    image.src = url;
  });
}

export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  if (width < 1 || height < 1) throw new Error('the chart is not on screen');
  const copy = svg.cloneNode(true);
  if (!(copy instanceof SVGSVGElement)) throw new Error('not an SVG element');
  inlineStyles(svg, copy);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const text = new XMLSerializer().serializeToString(copy);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = await loadImage(url);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    // The cards' own background, so the light text and lines stay readable in the file.
    const surface = getComputedStyle(document.documentElement).getPropertyValue('--surface').trim();
    context.fillStyle = surface || '#14171c';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG was made'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
