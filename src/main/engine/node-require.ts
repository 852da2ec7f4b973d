import { createRequire } from 'node:module';

/**
 * A CommonJS `require` that works in the bundled engine (CJS, where `__filename` exists) and in
 * tests running the sources as ES modules. Used for optional packages the bundler must not touch.
 */
export const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
