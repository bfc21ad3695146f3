import type { ApiClient } from "./api-client.js";

/**
 * Loads thumbnails into <img> elements a few at a time, as blob: URLs. `reset` cancels what is still
 * loading and frees the URLs of the images it had loaded (their elements are being replaced).
 */
export function createThumbLoader(api: ApiClient, parallel = 6) {
  let controller = new AbortController();
  let urls: string[] = [];
  let running = 0;
  const queue: (() => Promise<void>)[] = [];

  const pump = () => {
    while (running < parallel && queue.length > 0) {
      const job = queue.shift()!;
      running++;
      void job().finally(() => {
        running--;
        pump();
      });
    }
  };

  return {
    load(img: HTMLImageElement, id: string, size: number): void {
      const { signal } = controller;
      const mine = urls;
      img.classList.add("loading");
      queue.push(async () => {
        if (signal.aborted) return;
        try {
          const url = await api.thumbnail(id, size, signal);
          if (signal.aborted) return URL.revokeObjectURL(url);
          mine.push(url);
          img.addEventListener("load", () => img.classList.remove("loading"), { once: true });
          img.src = url;
        } catch {
          if (signal.aborted) return;
          img.classList.remove("loading");
          img.classList.add("broken");
          img.closest(".thumb")?.setAttribute("data-broken", "image unavailable");
        }
      });
      pump();
    },
    reset(): void {
      controller.abort();
      controller = new AbortController();
      queue.length = 0;
      for (const url of urls) URL.revokeObjectURL(url);
      urls = [];
    },
  };
}

export type ThumbLoader = ReturnType<typeof createThumbLoader>;
