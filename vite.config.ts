import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { CSP_NONCE_PLACEHOLDER } from './src/shared/csp.js';

// The web app lives in src/web and is built into dist/web, which the Fastify server serves at `/`
// (src/server/http/static-web.ts). `npx vite` runs a dev server on :5173 that proxies /api to :3000.
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  plugins: [react()],
  // index.html's tags and its <meta property="csp-nonce"> carry a placeholder the server replaces per response
  // with the nonce of its Content-Security-Policy (src/server/http/security-headers.ts)
  html: { cspNonce: CSP_NONCE_PLACEHOLDER },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // antd and echarts are large on their own; they are split into their own cached chunks below.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 3 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|rc-[a-z-]+|@rc-component)[\\/]/, priority: 2 },
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|@remix-run)[\\/]/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
