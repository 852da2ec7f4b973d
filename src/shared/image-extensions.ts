/**
 * File extensions a folder dataset accepts: the raster formats the bundled sharp/libvips build
 * reads. Decided by name alone so a scan never has to open a file; a mislabelled file is caught
 * later, when it fails to decode. SVG, PDF and HEIC are left out on purpose: vector pages and
 * patent-encumbered HEVC are not training images.
 */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
]);

/** The lower-cased extension including its dot (`.jpg`), or '' when the name has none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  // A leading dot marks a hidden file, and a trailing one ends a name: neither is an extension.
  return dot > 0 && dot < fileName.length - 1 ? fileName.slice(dot).toLowerCase() : '';
}

export function isImageFileName(fileName: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(fileName));
}
