/**
 * Serves a blank page that loads @viamrobotics/sdk's own bundle (it has no imports,
 * so no build step) and exposes it as `window.viam`; `body[data-ready]` says when.
 * It runs on its own port, so the page talks to the sim cross-origin, as the app does.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const SDK_BUNDLE = fileURLToPath(
  new URL('../../../node_modules/@viamrobotics/sdk/dist/main.es.js', import.meta.url),
);

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>sim harness</title></head>
<body>
<script type="module">
  import * as viam from './sdk.js';
  window.viam = viam;
  document.body.dataset.ready = 'true';
</script>
</body></html>`;

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const sdk = await readFile(SDK_BUNDLE);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE);
    } else if (path === '/sdk.js') {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'max-age=3600',
      });
      res.end(sdk);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
