import type { ConnectRouter } from '@connectrpc/connect';
import type { UniversalHandler } from '@connectrpc/connect/protocol';

export type HandlerLookup = (path: string) => UniversalHandler | undefined;

/** Finds a router's handler by request path ('/pkg.Service/Method'); sees later registrations too. */
export function createHandlerLookup(router: ConnectRouter): HandlerLookup {
  let seen = -1;
  let byPath = new Map<string, UniversalHandler>();
  return (path) => {
    if (seen !== router.handlers.length) {
      byPath = new Map(router.handlers.map((h) => [h.requestPath, h]));
      seen = router.handlers.length;
    }
    return byPath.get(path);
  };
}
