/**
 * What to expect from training a VAE on a folder (issue 15, item 4), in one or two sentences, from
 * its size and format. The bands follow what a VAE learns in minutes on a laptop CPU: from a few
 * hundred images it reconstructs and maps them well but cannot yet model the whole distribution,
 * so samples from the prior come out as blurry averages; interpolating between real images' codes
 * stays on what it has seen. Built-in datasets get none: their behaviour is known and documented.
 */
import type { ChannelMode, DatasetSummary } from '../../../shared/dataset-types';
import { formatInt } from './format';

export type GuidanceBand = 'tiny' | 'small' | 'medium' | 'large' | 'very-large';

export interface DatasetGuidance {
  band: GuidanceBand;
  /** One or two sentences: what works and what not to expect, then the main caveat if any. */
  text: string;
}

/** Band edges by image count: below each, the band's name. */
const BANDS: readonly { below: number; band: GuidanceBand }[] = [
  { below: 100, band: 'tiny' },
  { below: 500, band: 'small' },
  { below: 5_000, band: 'medium' },
  { below: 50_000, band: 'large' },
  { below: Infinity, band: 'very-large' },
];

/** Fewer images than this in a label give the map too little to place it apart. */
export const TINY_CLASS = 10;
/** Folder images without a sub-folder; not a class the map is asked to separate. */
const UNLABELLED = '(unlabelled)';
/** Pixel values per image from which detail is slow to come on a CPU (64 px colour). */
const HEAVY_VALUES = 64 * 64 * 3;
/** Up to this many (32 px grey), images train quickly and sharpen early. */
const LIGHT_VALUES = 32 * 32;

type GuidanceInput = Pick<
  DatasetSummary,
  'source' | 'count' | 'classNames' | 'countsPerLabel' | 'preprocessing'
>;

export function guidanceBand(count: number): GuidanceBand {
  return BANDS.find((b) => count < b.below)!.band;
}

function bandSentence(band: GuidanceBand, count: number, channels: ChannelMode): string {
  const images = `${formatInt(count)} ${count === 1 ? 'image' : 'images'}`;
  switch (band) {
    case 'tiny':
      return (
        `With ${images} the model mostly memorises ${count === 1 ? 'it' : 'them'}: reconstructions of the training images can look right, but ` +
        'held-out images and samples from the prior will not; a few hundred images make a real difference.'
      );
    case 'small':
      return (
        `With ${images}, expect reconstructions that keep each image's ${channels === 'rgb' ? 'shape and colour' : 'overall shape'} and a map ` +
        'that puts similar images together; samples from the prior will stay blurry, so interpolate ' +
        'between real images instead.'
      );
    case 'medium':
      return (
        `With ${images}, reconstructions, the map and interpolations between real images work well; ` +
        'samples from the prior show the rough look of the set but stay soft.'
      );
    case 'large':
      return (
        `With ${images} the model can learn the set: reconstructions, the map and interpolations work ` +
        'well, and samples from the prior become recognisable, though softer than reconstructions.'
      );
    case 'very-large':
      return (
        `With ${images}, time is the limit rather than data: on a laptop CPU an epoch takes a while, ` +
        'so set a time budget; everything, prior samples included, keeps improving with longer training.'
      );
  }
}

/** Labels (not the unlabelled rest) with 1 to TINY_CLASS − 1 images, for a folder of several labels. */
function tinyClasses(input: GuidanceInput): string[] {
  const labelled = input.classNames.filter((name) => name !== UNLABELLED);
  if (labelled.length < 2) return [];
  return input.classNames.filter((name, i) => {
    const n = input.countsPerLabel[i] ?? 0;
    return name !== UNLABELLED && n > 0 && n < TINY_CLASS;
  });
}

function quoted(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => `“${n}”`);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(names.length === 2 ? ' and ' : ', ');
}

/** The one caveat worth a second sentence, most important first; null when there is none. */
function caveat(input: GuidanceInput): string | null {
  const tiny = tinyClasses(input);
  if (tiny.length > 0) {
    const labels = tiny.length === 1 ? 'label has' : 'labels have';
    return (
      `${quoted(tiny)} ${labels} fewer than ${TINY_CLASS} images: too few for the map to give them ` +
      'a place of their own, and their held-out figures rest on one or two images.'
    );
  }
  const { size, channels } = input.preprocessing;
  const values = size * size * (channels === 'rgb' ? 3 : 1);
  if (values >= HEAVY_VALUES) {
    return (
      `At ${size} px colour each image is ${formatInt(values)} values to reproduce: fine detail comes ` +
      'last and stays soft, and a smaller size trains several times faster.'
    );
  }
  if (values <= LIGHT_VALUES) {
    return 'Small grey images are the easy case: reconstructions sharpen within a few epochs.';
  }
  return null;
}

export function datasetGuidance(input: GuidanceInput): DatasetGuidance | null {
  if (input.source.kind === 'builtin' || input.count <= 0) return null;
  const band = guidanceBand(input.count);
  const first = bandSentence(band, input.count, input.preprocessing.channels);
  const second = caveat(input);
  return { band, text: second ? `${first} ${second}` : first };
}
