import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * Development only (`npm run dev`): one CSP nonce per dev session. Vite stamps it on every
 * script tag it serves (the React Refresh preamble is inline), and the Electron main process,
 * which electron-vite starts with this process's environment, adds it to the window's CSP
 * (src/main/shell/contentPolicy.ts). Builds carry no nonce: the production policy is unchanged.
 */
function devNonce(): string {
  const nonce = randomBytes(18).toString('base64');
  process.env['BENCHVISOR_DEV_CSP_NONCE'] = nonce;
  return nonce;
}

export default defineConfig(({ command }) => ({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        // The Electron shell and the headless CLI (run / doctor / serve) share the main code.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    ...(command === 'serve' ? { html: { cspNonce: devNonce() } } : {}),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
}));
