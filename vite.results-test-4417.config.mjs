import react from '@vitejs/plugin-react';
export default { root: "/work/wt/stats/src/renderer", plugins: [react()], base: './', logLevel: 'error', build: { outDir: "/tmp/bv-browser-8D9PGk/renderer", emptyOutDir: true, chunkSizeWarningLimit: 100000 } };
