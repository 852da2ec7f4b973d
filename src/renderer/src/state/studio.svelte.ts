/**
 * Everything the screen shares, built once per window and handed down through context so
 * components never reach for the host themselves.
 */
import { createContext } from 'svelte';
import type { Api } from '../../../shared/contract';
import type { ConnectionSource } from '../lib/connection';
import { ConnectionState } from './connection.svelte';
import { DatasetsState } from './datasets.svelte';
import { EngineState } from './engine.svelte';
import { NoticesState } from './notices.svelte';
import { SettingsState } from './settings.svelte';
import { TrainingState } from './training.svelte';

export class Studio {
  readonly notices = new NoticesState();
  readonly connection: ConnectionState;
  readonly engine: EngineState;
  readonly datasets: DatasetsState;
  readonly settings: SettingsState;
  readonly training: TrainingState;

  constructor(api: Api, connection: ConnectionSource, search: string) {
    this.engine = new EngineState(api, this.notices);
    this.datasets = new DatasetsState(api, this.notices);
    this.settings = new SettingsState(search, () => this.datasets.selected);
    this.training = new TrainingState(api, this.notices);
    // After a dropped link the host may have restarted: ask again rather than trust stale state.
    this.connection = new ConnectionState(connection, () => {
      this.notices.dismiss();
      void this.load();
    });
  }

  /** Train is offered only when the form is valid, a dataset is picked and the host is reachable. */
  get canTrain(): boolean {
    return (
      this.training.canStart &&
      this.settings.valid &&
      this.datasets.selected !== null &&
      this.connection.status === 'open'
    );
  }

  async load(): Promise<void> {
    await Promise.all([this.engine.load(), this.datasets.load()]);
  }

  async startTraining(): Promise<void> {
    const dataset = this.datasets.selected;
    const settings = dataset ? this.settings.toSettings(dataset.id) : null;
    if (settings) await this.training.start(settings);
  }

  dispose(): void {
    this.connection.dispose();
    this.engine.dispose();
    this.training.dispose();
  }
}

export const [getStudio, setStudio] = createContext<Studio>();
