import { afterEach, describe, expect, it } from 'vitest';
import type { EngineChild } from '../../src/main/core/engine-child';
import { EngineClient } from '../../src/main/core/engine-client';
import {
  createForwardingHandlers,
  FORWARDED_REQUESTS,
  type ForwardedRequest,
  type ForwardingHandlers,
} from '../../src/main/core/forwarded-requests';
import type { EngineCommands, FromEngine, ToEngine } from '../../src/main/engine/protocol';
import type { Result } from '../../src/shared/result';
import { VALID_ARGS } from '../support/valid-requests';

let engine: EngineClient | null = null;
afterEach(() => engine?.dispose());

/** An engine client over a fake process that records each command and answers it with its name. */
function fakeEngine(): { engine: EngineClient; sent: ToEngine[] } {
  const sent: ToEngine[] = [];
  let deliver: (message: FromEngine) => void = () => undefined;
  const child: EngineChild = {
    pid: 1,
    send: (message) => {
      sent.push(message);
      deliver({ type: 'reply', id: message.id, result: { ok: true, value: { answered: message.name } } });
    },
    onMessage: (listener) => {
      deliver = listener;
    },
    onExit: () => undefined,
    kill: () => undefined,
  };
  const client = new EngineClient({
    launcher: () => child,
    preference: 'auto',
    cacheDirectory: 'cache',
    runsDirectory: 'runs',
    emit: () => undefined,
  });
  client.start();
  deliver({ type: 'ready', backend: { name: 'cpu', label: 'CPU', forced: false, skipped: [] } });
  return { engine: client, sent };
}

function call<K extends ForwardedRequest>(
  handlers: ForwardingHandlers,
  name: K,
  args: EngineCommands[K]['args'],
): Promise<Result<unknown>> {
  return handlers[name](args);
}

describe('forwarded requests', () => {
  it('are listed once each', () => {
    expect(new Set(FORWARDED_REQUESTS).size).toBe(FORWARDED_REQUESTS.length);
  });

  it.each(FORWARDED_REQUESTS)(
    '%s goes to the engine command of its name, arguments as given',
    async (name) => {
      const fake = fakeEngine();
      engine = fake.engine;
      const args = VALID_ARGS[name];
      const result = await call(createForwardingHandlers(fake.engine), name, args);
      expect(fake.sent).toEqual([{ type: 'command', id: 1, name, args }]);
      expect(fake.sent[0]!.args).toBe(args);
      expect(result).toEqual({ ok: true, value: { answered: name } });
    },
  );
});
