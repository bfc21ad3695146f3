import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

/** A real HTTP server on 127.0.0.1 that misbehaves on purpose, for image and catalog fetch tests. */
export interface TestServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Requests seen for a path (query string included), or for all paths. */
  hits(path?: string): number;
  resetHits(): void;
  /** Serves `body` at `path` (e.g. a catalog). */
  serve(path: string, body: string | Buffer, contentType?: string): void;
  jpeg: Buffer;
  png: Buffer;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** How long /slow and /slow-body stall before finishing. Default 5 000 ms. */
  slowMs?: number;
  /** Size of /big and /big-chunked bodies. Default 256 KiB. */
  bigBytes?: number;
}

/** Small real images, made with sharp so tests need no fixture files. */
export async function makeTestImages(): Promise<{ jpeg: Buffer; png: Buffer }> {
  const base = sharp({
    create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 40, b: 90 } },
  });
  return { jpeg: await base.clone().jpeg().toBuffer(), png: await base.clone().png().toBuffer() };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const slowMs = options.slowMs ?? 5_000;
  const bigBytes = options.bigBytes ?? 256 * 1024;
  const { jpeg, png } = await makeTestImages();
  const counts = new Map<string, number>();
  const files = new Map<string, { body: Buffer; type: string }>();
  const timers = new Set<NodeJS.Timeout>();
  let base = "";

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const send = (res: ServerResponse, status: number, body: Buffer | string, type: string): void => {
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? "/";
    const seen = (counts.get(path) ?? 0) + 1;
    counts.set(path, seen);
    const file = files.get(path);
    if (file) {
      send(res, 200, file.body, file.type);
      return;
    }
    const [route = "", arg] = path.replace(/\?.*$/, "").split("/").slice(1);
    switch (route) {
      case "good.jpg":
        send(res, 200, jpeg, "image/jpeg");
        return;
      case "good.png":
        send(res, 200, png, "image/png");
        return;
      case "image-no-ext":
        send(res, 200, jpeg, "application/octet-stream");
        return;
      case "missing":
        send(res, 404, "not found", "text/plain");
        return;
      case "forbidden":
        send(res, 403, "forbidden", "text/plain");
        return;
      case "too-many":
        send(res, 429, "slow down", "text/plain");
        return;
      case "always-500":
        send(res, 500, "boom", "text/plain");
        return;
      case "flaky":
        // /flaky/<key>: the first request per path fails with 500, later ones succeed.
        if (seen === 1) send(res, 500, "try again", "text/plain");
        else send(res, 200, jpeg, "image/jpeg");
        return;
      case "slow":
        later(slowMs, () => send(res, 200, jpeg, "image/jpeg"));
        return;
      case "slow-body":
        res.writeHead(200, { "content-type": "image/jpeg", "content-length": jpeg.length });
        res.write(jpeg.subarray(0, 10));
        later(slowMs, () => res.end(jpeg.subarray(10)));
        return;
      case "truncated":
        // Promises the whole image, sends half, then drops the connection.
        res.writeHead(200, { "content-type": "image/jpeg", "content-length": jpeg.length });
        res.write(jpeg.subarray(0, jpeg.length >> 1), () => res.socket?.destroy());
        return;
      case "reset":
        req.socket.destroy();
        return;
      case "html":
        send(res, 200, "<!doctype html><html><body>Not here</body></html>", "image/jpeg");
        return;
      case "big":
        send(res, 200, Buffer.concat([jpeg, Buffer.alloc(bigBytes)]), "image/jpeg");
        return;
      case "big-chunked":
        // No Content-Length: the cap must be enforced while streaming.
        res.writeHead(200, { "content-type": "image/jpeg" });
        res.end(Buffer.concat([jpeg, Buffer.alloc(bigBytes)]));
        return;
      case "redirect": {
        // /redirect/<n> → n more hops, then the good JPEG.
        const left = Number(arg ?? 0);
        res.writeHead(302, { location: left > 1 ? `/redirect/${left - 1}` : "/good.jpg" });
        res.end();
        return;
      }
      case "redirect-loopback":
        res.writeHead(302, { location: `${base}/good.jpg` });
        res.end();
        return;
      default:
        send(res, 404, "no such route", "text/plain");
        return;
    }
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    hits: (path) =>
      path === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(path) ?? 0),
    resetHits: () => counts.clear(),
    serve: (path, body, type = "text/plain") => {
      files.set(path, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), type });
    },
    jpeg,
    png,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
