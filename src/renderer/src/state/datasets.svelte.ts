/** The built-in datasets the host offers and the one the user picked. */
import type { Api } from '../../../shared/contract';
import type { BuiltinDataset } from '../../../shared/types';
import type { NoticesState } from './notices.svelte';

export class DatasetsState {
  list = $state.raw<BuiltinDataset[]>([]);
  selectedId = $state<BuiltinDataset['id'] | null>(null);
  loading = $state(false);
  selected = $derived(this.list.find((d) => d.id === this.selectedId) ?? null);
  readonly #api: Api;
  readonly #notices: NoticesState;

  constructor(api: Api, notices: NoticesState) {
    this.#api = api;
    this.#notices = notices;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const result = await this.#api.invoke('dataset:list-builtin', {});
      if (!result.ok) {
        this.#notices.showFailure(result, 'Datasets');
        return;
      }
      this.list = result.value;
      if (!this.list.some((d) => d.id === this.selectedId)) this.selectedId = this.list[0]?.id ?? null;
    } finally {
      this.loading = false;
    }
  }
}
