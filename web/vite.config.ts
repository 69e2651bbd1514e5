// Vite build of the web UI: web/ is the root, output goes to dist/web with hashed assets under assets/.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string): string => decodeURIComponent(new URL(p, import.meta.url).pathname);

/** Writes a .gz beside each JS/CSS asset; the server sends it to browsers that accept gzip (no runtime compression). */
function precompress(dir: string): Plugin {
  return {
    name: 'portcullis-precompress',
    apply: 'build',
    closeBundle() {
      const assets = join(dir, 'assets');
      for (const f of readdirSync(assets)) {
        if (/\.(js|css)$/.test(f)) writeFileSync(join(assets, `${f}.gz`), gzipSync(readFileSync(join(assets, f)), { level: 9 }));
      }
    },
  };
}

const outDir = here('../dist/web');

export default defineConfig({
  root: here('.'),
  // Relative asset URLs plus the <base href> the server writes into index.html make one build work under any base path.
  base: './',
  plugins: [react(), precompress(outDir)],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    // The polyfill would be inlined into index.html; the CSP forbids inline script, and Chromium needs none.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config web/vite.config.ts` against a server on the default port.
    proxy: { '/api': { target: 'http://127.0.0.1:18282', ws: true } },
  },
});
