/**
 * One runs folder: `latent-studio train` without --out writes into the runs folder of the data
 * directory (LATENT_STUDIO_DATA_DIR here, a temp folder), whole (no `.partial-*` left), and
 * `latent-studio runs` lists it, as a table and as JSON, exactly as the app's engine lists it from
 * that data directory.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { RunSummary } from '../../src/shared/run-types';
import { cli, flags } from '../support/cli-process';
import { startReadyCore } from '../support/engine-core';
import { writeStripesFolder, RED_AND_BLUE_STRIPES } from '../support/image-fixtures';
import { tempFolder } from '../support/temp-folder';
import { listedRuns } from '../support/tiny-run';

const dir = tempFolder('cli-runs');
let data: string;
let dataDirectory: string;
let core: AppCore | null = null;

/** One epoch on the stripes folder, all but where the run goes. */
const oneEpochTraining = () =>
  flags({
    data,
    size: '28',
    channels: 'gray',
    epochs: '1',
    latent: '2',
    batch: '8',
    backend: 'wasm',
    cache: path.join(dir(), 'cache'),
  });

beforeAll(async () => {
  data = path.join(dir(), 'shapes');
  dataDirectory = path.join(dir(), 'data dir');
  await writeStripesFolder(data, RED_AND_BLUE_STRIPES, 8);
});

afterAll(() => core?.dispose());

describe('the command line and the app share one runs folder', () => {
  it('trains into the runs folder without --out, and `runs` lists the run', async () => {
    const env = { LATENT_STUDIO_DATA_DIR: dataDirectory };
    const empty = await cli(['runs'], undefined, env);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('No runs in');

    const trained = await cli(['train', ...oneEpochTraining()], undefined, env);
    expect(trained.code, trained.stderr).toBe(0);
    const runsRoot = path.join(dataDirectory, 'runs');
    const names = await readdir(runsRoot);
    expect(names).toHaveLength(1);
    const runId = names[0]!;
    expect(runId).toMatch(/^\d{8}-\d{6}-[a-z0-9]{4}$/);
    expect(trained.stderr).toContain(path.join(runsRoot, runId));
    expect(await readdir(path.join(runsRoot, runId))).toEqual(
      expect.arrayContaining(['config.json', 'status.json', 'metrics.jsonl', 'checkpoints', 'layouts']),
    );

    const table = await cli(['runs'], undefined, env);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+dataset\s+state\s+epochs\s+best val -ELBO$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${runId}\\s+—\\s+shapes\\s+completed\\s+1 / 1\\s+\\d+\\.\\d\\d$`));

    const json = await cli(['runs', '--json'], undefined, env);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as RunSummary[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ runId, name: null, state: 'completed', epochsDone: 1 });

    // Other commands take the run by its id.
    const exported = await cli(
      ['export', '--run', runId, '--out', path.join(dir(), 'model')],
      undefined,
      env,
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(await readdir(path.join(dir(), 'model'))).toEqual(expect.arrayContaining(['model.json']));

    // The app's engine on the same data directory lists the same run.
    core = await startReadyCore('wasm', [], dataDirectory);
    const inApp = await listedRuns(core);
    expect(inApp.map((r) => r.runId)).toEqual([runId]);
    expect(inApp[0]).toMatchObject({ epochsDone: 1, state: 'completed', datasetName: 'shapes' });
    core.dispose();
    core = null;

    // Deleted from the command line: into runs/.trash, as the browser host does; no longer listed.
    const missing = await cli(['runs', '--delete', '20200101-000000-none'], undefined, env);
    expect(missing.code).toBe(3);
    // A run whose status says it trains may be another process's: only with --force.
    const status = path.join(runsRoot, runId, 'status.json');
    const completed = await readFile(status, 'utf8');
    await writeFile(status, completed.replace('"completed"', '"running"'));
    const refused = await cli(['runs', '--delete', runId], undefined, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(await readdir(runsRoot)).toContain(runId);
    const deleted = await cli(['runs', '--delete', runId, '--force'], undefined, env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await readdir(path.join(runsRoot, '.trash'))).toEqual([runId]);
    expect(JSON.parse((await cli(['runs', '--json'], undefined, env)).stdout)).toEqual([]);
  });

  it('still writes where --out says', async () => {
    const out = path.join(dir(), 'elsewhere');
    const named = await cli(['train', ...oneEpochTraining(), ...flags({ out })], undefined, {
      LATENT_STUDIO_DATA_DIR: path.join(dir(), 'unused'),
    });
    expect(named.code, named.stderr).toBe(0);
    expect(await readdir(out)).toContain('config.json');
    expect(await readdir(dir())).not.toContain('unused');
  });
});
