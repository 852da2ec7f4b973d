/**
 * The channel names as runtime values (the preload and the WebSocket server need them), kept in
 * step with the `Requests` / `Events` interfaces by the `satisfies` checks below.
 */
import type { EventName, RequestName } from './contract';

const requestNameSet = {
  'app:ping': true,
  'app:get-info': true,
  'app:get-health': true,
  'app:get-last-run': true,
  'engine:get-status': true,
  'engine:restart': true,
  'dataset:list-builtin': true,
  'dataset:list-roots': true,
  'dataset:choose-folder': true,
  'dataset:browse': true,
  'dataset:preview': true,
  'dataset:open': true,
  'dataset:upload-begin': true,
  'dataset:upload-files': true,
  'dataset:upload-finish': true,
  'dataset:upload-cancel': true,
  'train:start': true,
  'train:estimate-speed': true,
  'train:pause': true,
  'train:resume': true,
  'job:cancel': true,
  'train:set-learning-rate': true,
  'train:continue': true,
  'runs:list': true,
  'runs:open': true,
  'runs:update': true,
  'runs:delete': true,
  'run:evaluate': true,
  'runs:get-histories': true,
  'latent:get-points': true,
  'latent:get-epoch': true,
  'latent:project': true,
  'latent:export': true,
  'latent:get-scores': true,
  'latent:place-images': true,
  'latent:list-bookmarks': true,
  'latent:save-bookmark': true,
  'latent:delete-bookmark': true,
  'gallery:reconstructions': true,
  'gallery:reconstruct-points': true,
  'gallery:sample': true,
  'gallery:interpolate': true,
  'gallery:traverse': true,
  'gallery:decode-at': true,
  'gallery:decode': true,
  'gallery:decode-grid': true,
  'gallery:export': true,
  'gallery:export-points': true,
  'model:export': true,
  'model:import': true,
} as const satisfies Record<RequestName, true>;

const eventNameSet = {
  'engine:did-change-status': true,
  'train:did-change-state': true,
  'train:did-progress': true,
  'train:did-end-epoch': true,
  'dataset:did-progress': true,
  'dataset:did-open': true,
  'dataset:did-fail': true,
  'train:did-save-checkpoint': true,
  'latent:did-update-layout': true,
  'latent:did-progress': true,
  'latent:did-stop': true,
  'run:did-evaluate-progress': true,
  'run:did-evaluate': true,
} as const satisfies Record<EventName, true>;

export const REQUEST_NAMES = Object.keys(requestNameSet) as RequestName[];
export const EVENT_NAMES = Object.keys(eventNameSet) as EventName[];

export function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && Object.hasOwn(requestNameSet, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(eventNameSet, value);
}
