/** Entry of the engine process (utilityProcess under Electron, child_process.fork under Node). */
import { BACKEND_ENV, parseBackendPreference } from './backend-preference';
import { EngineHost } from './engine-host';
import { connectToParent } from './parent-port';

const link = connectToParent();
const host = new EngineHost((message) => link.send(message));
const ready = host.start(parseBackendPreference(process.env[BACKEND_ENV]));
link.onMessage((message) => {
  void ready.then(() => host.receive(message));
});
