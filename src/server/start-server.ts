import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";

export interface StartOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Abort (SIGTERM / SIGINT) to shut down gracefully. */
  signal: AbortSignal;
  /** How long in-flight requests may take to finish after the abort before their sockets are cut. */
  graceMs?: number;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8890 */
  url: string;
  port: number;
  /** Resolves once the server has stopped and every in-flight request has been answered (or cut at graceMs). */
  closed: Promise<void>;
}

/**
 * Listens, and on abort shuts down gracefully: stop accepting connections, close idle keep-alive sockets,
 * let in-flight requests finish (new requests on open sockets get 503), then resolve `closed`.
 */
export async function startServer(app: FastifyInstance, options: StartOptions): Promise<RunningServer> {
  const { signal } = options;
  const graceMs = options.graceMs ?? 25_000;
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  const closed = new Promise<void>((resolve, reject) => {
    const shutdown = () => {
      app.log.info({ graceMs }, "shutting down: finishing in-flight requests");
      // A request that outlives the grace period is cut so the process can exit (Kubernetes kills at 30 s).
      const force = setTimeout(() => app.server.closeAllConnections(), graceMs);
      // Keep-alive sockets whose request finishes during shutdown would otherwise hold it open until
      // the grace period ends: close each one as soon as it goes idle.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      force.unref();
      sweep.unref();
      const stop = () => {
        clearTimeout(force);
        clearInterval(sweep);
      };
      app.close().then(
        () => {
          stop();
          resolve();
        },
        (error: unknown) => {
          stop();
          reject(error);
        },
      );
    };
    if (signal.aborted) shutdown();
    else signal.addEventListener("abort", shutdown, { once: true });
  });
  return { url: `http://${host}:${address.port}`, port: address.port, closed };
}
