/** electron-builder.config.cjs must keep its fuses (RELIABILITY.md row 17) and native unpacking. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface BuilderConfig {
  appId: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

const require = createRequire(__filename);
const config = require(path.resolve(__dirname, '../../electron-builder.config.cjs')) as BuilderConfig;

describe('electron-builder config', () => {
  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('packs the build into asar and unpacks native modules', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.files).toContain('out/**');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'node_modules/@tensorflow/tfjs-node*/**',
        'node_modules/sharp/**',
        'node_modules/@img/**',
      ]),
    );
  });

  it('targets AppImage + deb, nsis and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });
});
