/**
 * The domain types every layer shares, re-exported from their topic files so `shared/types`
 * imports keep working; new code imports the topic file itself. Pure TypeScript: no electron,
 * node or DOM imports.
 */
export * from './backend-types';
export type { BuiltinDataset } from './dataset-types';
export * from './export-types';
export * from './train-settings';
export * from './training-events';
