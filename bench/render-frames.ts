/**
 * `npx tsx bench/render-frames.ts [--points N] [--screenshots DIR]`: frame times of the WebGL
 * scatter under a scripted pan/zoom in headless Chromium (see bench/support/render-frames.ts).
 * With --screenshots it also saves DIR/scatter-<N>.png and DIR/scatter-zoomed.png.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureRenderFrames } from './support/render-frames';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { points: { type: 'string', default: '100000' }, screenshots: { type: 'string' } },
});

async function main(): Promise<void> {
  const points = Number(values.points);
  const dir = values.screenshots;
  const label = points % 1000 === 0 ? `${points / 1000}k` : String(points);
  const result = await measureRenderFrames({
    points,
    ...(dir && {
      screenshots: {
        overview: path.join(dir, `scatter-${label}.png`),
        zoomed: path.join(dir, 'scatter-zoomed.png'),
      },
    }),
  });
  console.log(`\nScatter.webgl, ${result.points.toLocaleString('en')} points, scripted pan/zoom`);
  console.log(`renderer   ${result.renderer}`);
  console.log(`frames     ${result.frames}`);
  console.log(`median     ${result.medianMs.toFixed(1)} ms  (${(1000 / result.medianMs).toFixed(0)} fps)`);
  console.log(`p95        ${result.p95Ms.toFixed(1)} ms`);
  console.log(`GL draw    ${result.drawMs.toFixed(1)} ms  (every point in view, waited for)`);
  if (dir) console.log(`screenshots in ${dir}`);
}

void main();
