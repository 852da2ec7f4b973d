import { describe, expect, it } from 'vitest';
import type { Preprocessing } from '../../src/shared/dataset-types';
import { datasetGuidance, guidanceBand, TINY_CLASS } from '../../src/renderer/src/lib/dataset-guidance';

const COLOUR_64: Preprocessing = { size: 64, channels: 'rgb', fit: 'crop', background: '#000000' };
const GREY_28: Preprocessing = { size: 28, channels: 'grayscale', fit: 'crop', background: '#000000' };
const COLOUR_32: Preprocessing = { ...COLOUR_64, size: 32 };

type Input = Parameters<typeof datasetGuidance>[0];

/** A folder of `count` images spread evenly over `classes` labels. */
function folder(count: number, preprocessing = COLOUR_32, classes = 3): Input {
  const classNames = Array.from({ length: classes }, (_, i) => `class ${i}`);
  const countsPerLabel = classNames.map(
    (_, i) => Math.floor(count / classes) + (i < count % classes ? 1 : 0),
  );
  return {
    source: { kind: 'folder', rootId: 'r', relativePath: 'shapes' },
    count,
    classNames,
    countsPerLabel,
    preprocessing,
  };
}

function sentences(text: string): string[] {
  return text.split(/(?<=\.)\s+(?=[A-Z“])/);
}

describe('guidanceBand', () => {
  it('puts the edges in the bigger band', () => {
    expect(guidanceBand(1)).toBe('tiny');
    expect(guidanceBand(99)).toBe('tiny');
    expect(guidanceBand(100)).toBe('small');
    expect(guidanceBand(499)).toBe('small');
    expect(guidanceBand(500)).toBe('medium');
    expect(guidanceBand(4_999)).toBe('medium');
    expect(guidanceBand(5_000)).toBe('large');
    expect(guidanceBand(49_999)).toBe('large');
    expect(guidanceBand(50_000)).toBe('very-large');
    expect(guidanceBand(2_000_000)).toBe('very-large');
  });
});

describe('datasetGuidance', () => {
  it('tells a few hundred images that reconstructions and the map work but prior samples stay blurry', () => {
    const guidance = datasetGuidance(folder(300))!;
    expect(guidance.band).toBe('small');
    expect(guidance.text).toMatch(/^With 300 images,/);
    expect(guidance.text).toMatch(/reconstructions that keep each image's shape and colour/);
    expect(guidance.text).toMatch(/map/);
    expect(guidance.text).toMatch(/prior will stay blurry/);
    expect(guidance.text).toMatch(/interpolate between real images/);
  });

  it('warns a few dozen images that the model memorises them', () => {
    const guidance = datasetGuidance(folder(40))!;
    expect(guidance.band).toBe('tiny');
    expect(guidance.text).toMatch(/mostly memorises/);
    expect(guidance.text).toMatch(/held-out images and samples from the prior will not/);
  });

  it('promises more as the folder grows, and says time is the limit for a very large one', () => {
    expect(datasetGuidance(folder(2_000))!.text).toMatch(
      /from the prior show the rough look of the set but stay soft/,
    );
    expect(datasetGuidance(folder(20_000))!.text).toMatch(/samples from the prior become recognisable/);
    const huge = datasetGuidance(folder(120_000))!;
    expect(huge.band).toBe('very-large');
    expect(huge.text).toMatch(/^With 120,000 images, time is the limit rather than data/);
    expect(huge.text).toMatch(/set a time budget/);
  });

  it('is one or two sentences, never more', () => {
    for (const count of [1, 40, 300, 2_000, 20_000, 120_000]) {
      for (const format of [COLOUR_64, GREY_28, COLOUR_32]) {
        const { text } = datasetGuidance(folder(count, format))!;
        expect(sentences(text).length, text).toBeGreaterThanOrEqual(1);
        expect(sentences(text).length, text).toBeLessThanOrEqual(2);
      }
    }
  });

  it('does not promise colour from grey images', () => {
    expect(datasetGuidance(folder(300, GREY_28))!.text).toMatch(/keep each image's overall shape and a map/);
  });

  it('says that 64 px colour is slow to sharpen, and that small grey images are the easy case', () => {
    const colour = datasetGuidance(folder(300, COLOUR_64))!.text;
    expect(sentences(colour)[1]).toBe(
      'At 64 px colour each image is 12,288 values to reproduce: fine detail comes last and stays soft, and a smaller size trains several times faster.',
    );
    expect(sentences(datasetGuidance(folder(300, GREY_28))!.text)[1]).toMatch(
      /^Small grey images are the easy case/,
    );
    // 32 px colour is neither: the band's sentence alone.
    expect(sentences(datasetGuidance(folder(300, COLOUR_32))!.text)).toHaveLength(1);
  });

  it('names labels too small for the map, before any remark on the format', () => {
    const input = folder(300, COLOUR_64, 3);
    const tiny: Input = {
      ...input,
      classNames: [...input.classNames, 'rare'],
      countsPerLabel: [...input.countsPerLabel, 3],
    };
    const text = datasetGuidance(tiny)!.text;
    expect(sentences(text)[1]).toMatch(new RegExp(`^“rare” label has fewer than ${TINY_CLASS} images`));
    expect(text).not.toMatch(/12,288/);

    const many: Input = {
      ...input,
      classNames: ['a', 'b', 'c', 'd', 'e'],
      countsPerLabel: [290, 2, 3, 4, 1],
    };
    expect(datasetGuidance(many)!.text).toMatch(/“b”, “c”, “d” and 1 more labels have fewer than/);
  });

  it('does not count the unlabelled images, or a folder with a single label, as a tiny class', () => {
    const unlabelled: Input = {
      ...folder(300, COLOUR_32, 2),
      classNames: ['(unlabelled)', 'cats', 'dogs'],
      countsPerLabel: [4, 148, 148],
    };
    expect(sentences(datasetGuidance(unlabelled)!.text)).toHaveLength(1);
    const single: Input = { ...folder(5, COLOUR_32, 1) };
    expect(datasetGuidance(single)!.text).not.toMatch(/fewer than/);
  });

  it('says nothing for the built-in datasets or an empty folder', () => {
    expect(
      datasetGuidance({ ...folder(70_000, GREY_28, 10), source: { kind: 'builtin', id: 'mnist' } }),
    ).toBeNull();
    expect(datasetGuidance(folder(0))).toBeNull();
  });

  it('counts one image in the singular', () => {
    expect(datasetGuidance(folder(1, COLOUR_32, 1))!.text).toMatch(/^With 1 image the model/);
  });
});
