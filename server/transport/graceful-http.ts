import type { Server as HttpServer } from 'node:http';

/**
 * Counts the HTTP requests in progress so that a stop can let them finish. Without it, closing the
 * server only stops new connections: a keep-alive connection goes on carrying requests (and holds
 * the server open until it idles out), and cutting it would drop answers already on their way.
 * Socket.IO's requests are left to Socket.IO: a long-poll stays open for as long as the socket.
 */
export function trackRequests(server: HttpServer): { finish(graceMs: number): Promise<number> } {
  let active = 0;
  let stopping = false;
  let settled: (() => void) | null = null;

  // First in line, so the header is set before any handler can send its response.
  server.prependListener('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    active++;
    if (stopping) res.setHeader('connection', 'close');
    res.once('close', () => {
      active--;
      if (active === 0) settled?.();
    });
  });

  return {
    /** Stops accepting connections and resolves once the requests in progress are answered, or after `graceMs`, with how many are still going. */
    async finish(graceMs) {
      stopping = true;
      server.close();
      if (active > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          settled = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      // Connections whose last answer went out before the stop, now idle, would otherwise stay open.
      server.closeIdleConnections();
      return active;
    },
  };
}
