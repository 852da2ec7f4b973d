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
  linux: { target: string[]; files: string[] };
  win: { target: string[]; files: string[] };
  mac: { target: string[]; files: string[] };
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
        'node_modules/webgpu/dist/**',
      ]),
    );
  });

  it("ships only the target platform's Dawn binary", () => {
    // electron-builder matches with minimatch; Node's glob matcher (minimatch-compatible) stands in.
    const dawn = ['linux-x64', 'linux-arm64', 'darwin-universal', 'win32-x64', 'win32-arm64'].map(
      (folder) => `node_modules/webgpu/dist/${folder}/dawn.node`,
    );
    const shipped = (files: string[], arch: string) =>
      dawn.filter((file) =>
        files.every((pattern) => !path.matchesGlob(file, pattern.slice(1).replaceAll('${arch}', arch))),
      );
    expect(shipped(config.linux.files, 'x64')).toEqual(['node_modules/webgpu/dist/linux-x64/dawn.node']);
    expect(shipped(config.linux.files, 'arm64')).toEqual(['node_modules/webgpu/dist/linux-arm64/dawn.node']);
    expect(shipped(config.win.files, 'x64')).toEqual(['node_modules/webgpu/dist/win32-x64/dawn.node']);
    expect(shipped(config.mac.files, 'universal')).toEqual([
      'node_modules/webgpu/dist/darwin-universal/dawn.node',
    ]);
  });

  it('targets AppImage + deb, nsis and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });
});
