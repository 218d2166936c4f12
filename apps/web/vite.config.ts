// Dev: Vite serves the SPA and proxies /api (with the websocket) and /health to the API.
// Build: apps/web/dist, which the API serves on its own port in production.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.RAMPART_API_URL ?? `http://localhost:${process.env.RAMPART_API_PORT ?? '8080'}`;

export default defineConfig({
  plugins: [react()],
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: {
      '/api': { target: api, changeOrigin: false, ws: true },
      '/health': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
