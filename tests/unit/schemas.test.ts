import { describe, expect, it } from 'vitest';
import { REQUEST_NAMES } from '../../src/shared/channels';
import type { RequestName } from '../../src/shared/contract';
import { requestSchemas } from '../../src/shared/schemas';
import { createDispatch } from '../../src/main/core/router';
import type { Handlers } from '../../src/main/core/handlers';
import { ok } from '../../src/shared/result';
import { invalidVariants, NULLABLE_KEYS, VALID_ARGS } from '../support/valid-requests';

/** Handlers that only record that they ran: the router must never reach them with a bad payload. */
function recordingHandlers(calls: RequestName[]): Handlers {
  const entries = REQUEST_NAMES.map((name) => [name, async () => (calls.push(name), ok(null))]);
  return Object.fromEntries(entries) as unknown as Handlers;
}

describe('request schemas', () => {
  it('cover every request channel', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...REQUEST_NAMES].sort());
  });

  it.each(REQUEST_NAMES)('%s accepts its valid payload', (name) => {
    expect(requestSchemas[name].safeParse(VALID_ARGS[name]).success).toBe(true);
  });

  it.each(REQUEST_NAMES)('%s refuses malformed payloads without reaching the handler', async (name) => {
    const calls: RequestName[] = [];
    const dispatch = createDispatch(recordingHandlers(calls), () => undefined);
    for (const bad of invalidVariants(VALID_ARGS[name], NULLABLE_KEYS[name])) {
      const result = await dispatch(name, bad);
      expect(result.ok, `payload ${String(JSON.stringify(bad))?.slice(0, 80)}`).toBe(false);
      if (!result.ok) {
        expect(result.code).toBe('INVALID_PAYLOAD');
        expect(result.message).not.toContain('xxxxxxxx');
        expect(result.message).not.toContain('admin');
        expect(result.message).not.toContain('injectedKey');
      }
    }
    expect(calls).toEqual([]);
    // The next valid call still works.
    expect(await dispatch(name, VALID_ARGS[name])).toEqual({ ok: true, value: null });
    expect(calls).toEqual([name]);
  });

  it('refuses unknown channels, including prototype names', async () => {
    const calls: RequestName[] = [];
    const dispatch = createDispatch(recordingHandlers(calls), () => undefined);
    for (const name of ['nope', '__proto__', 'constructor', 'toString', null, 7]) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, code: 'UNKNOWN_CHANNEL' });
    }
    expect(calls).toEqual([]);
  });

  it('refuses out-of-range training settings', () => {
    const schema = requestSchemas['train:start'];
    const base = VALID_ARGS['train:start'];
    expect(schema.safeParse({ ...base, latentDim: 1 }).success).toBe(false);
    expect(schema.safeParse({ ...base, epochs: 1.5 }).success).toBe(false);
    expect(schema.safeParse({ ...base, learningRate: 0 }).success).toBe(false);
    expect(schema.safeParse({ ...base, learningRate: Infinity }).success).toBe(false);
    expect(schema.safeParse({ ...base, datasetId: '../../etc' }).success).toBe(false);
  });
});
