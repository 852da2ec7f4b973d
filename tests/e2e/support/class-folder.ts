/** A small image folder with one subfolder per class, in PNG and JPEG, for the folder journeys. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BLUE, RED, solid, type Rgb } from '../../support/image-fixtures';

export const CLASS_FOLDER = { classes: ['cats', 'dogs'], perClass: 16 } as const;

/** Writes `<folder>/cats` (red PNGs) and `<folder>/dogs` (blue JPEGs), plus a note that is no image. */
export async function writeClassFolder(folder: string): Promise<number> {
  const colours: Record<string, Rgb> = { cats: RED, dogs: BLUE };
  for (const label of CLASS_FOLDER.classes) {
    await mkdir(path.join(folder, label), { recursive: true });
    for (let i = 0; i < CLASS_FOLDER.perClass; i++) {
      const image = solid(24 + (i % 5), 24, colours[label]!);
      const file = path.join(folder, label, `${label}-${i}`);
      if (label === 'cats') await image.png().toFile(`${file}.png`);
      else await image.jpeg().toFile(`${file}.jpg`);
    }
  }
  await writeFile(path.join(folder, 'notes.txt'), 'not an image');
  return CLASS_FOLDER.classes.length * CLASS_FOLDER.perClass;
}

/**
 * Writes one subfolder of solid-colour PNGs per `[label, colour, count]`, of widths `side`,
 * `side + 1`, … (so no two files are alike) and height `side`.
 */
export async function writeSolidClasses(
  folder: string,
  classes: readonly (readonly [string, Rgb, number])[],
  side: number,
): Promise<void> {
  for (const [label, colour, count] of classes) {
    await mkdir(path.join(folder, label), { recursive: true });
    for (let i = 0; i < count; i++) {
      await solid(side + i, side, colour)
        .png()
        .toFile(path.join(folder, label, `${label}-${i}.png`));
    }
  }
}
