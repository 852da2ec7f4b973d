// Packaging with electron-builder (`npm run package`; see README "Packaging"). Not a dependency:
// it downloads Electron and platform tools while it runs, and one of its dependencies has an install
// script that our allowScripts list does not cover, so `npm run package` fetches it with npx.
// tests/unit/packaging-config.test.ts keeps the fuses and asarUnpack entries from being lost.

/** @type {import('app-builder-lib').Configuration} */
module.exports = {
  appId: 'io.github.latent-studio',
  productName: 'Latent Studio',
  directories: { output: 'dist', buildResources: 'build' },
  // electron-vite's output; electron-builder adds package.json and the production node_modules.
  files: ['out/**', 'package.json', '!**/*.map'],
  asar: true,
  // Native code cannot be loaded from inside app.asar. The tfjs-node entries matter only when the
  // opt-in native backend is installed; the .wasm files are read by worker threads.
  asarUnpack: [
    'node_modules/@tensorflow/tfjs-node*/**',
    'node_modules/sharp/**',
    'node_modules/@img/**',
    'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
    // Dawn (the webgpu backend): an N-API addon, plus the DirectX shader compiler DLLs on Windows.
    'node_modules/webgpu/dist/**',
  ],
  // sharp ships N-API prebuilds (@img/sharp-<platform>), which work in Electron as they are; a
  // rebuild would try to compile from source. Build each platform on that platform so its
  // optional @img package is the one installed.
  npmRebuild: false,
  // Fuses are flipped in the Electron binary before signing (RELIABILITY.md row 17).
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
    // grantFileProtocolExtraPrivileges stays at Electron's default: the window loads its page and
    // ES module scripts from file://, which needs it.
  },
  // The webgpu package carries Dawn for every platform (~130 MB); each build ships only its own.
  linux: {
    files: ['!node_modules/webgpu/dist/!(linux-${arch})/**'],
    target: ['AppImage', 'deb'],
    category: 'Graphics',
    maintainer: 'Latent Studio contributors',
  },
  win: { files: ['!node_modules/webgpu/dist/!(win32-${arch})/**'], target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
  mac: {
    files: ['!node_modules/webgpu/dist/!(darwin-universal)/**'],
    target: ['dmg'],
    category: 'public.app-category.graphics-design',
  },
};
