import { type Instance, render } from "ink";
import type { ReactElement } from "react";
import type { TextStream } from "./text-stream.js";

/** One Ink render target on a stream (stderr): mounted on the first frame, re-rendered after that. */
export interface InkMount {
  readonly mounted: boolean;
  show(view: ReactElement): void;
  /** Unmounts (leaving the last frame on screen) and waits for Ink to finish writing. */
  unmount(): Promise<void>;
}

export function createInkMount(stream: TextStream): InkMount {
  let instance: Instance | null = null;
  return {
    get mounted() {
      return instance !== null;
    },
    show(view) {
      if (instance === null) {
        // Ctrl-C belongs to the job's abort handling, and console output must not interleave with frames.
        instance = render(view, {
          stdout: stream as NodeJS.WriteStream,
          patchConsole: false,
          exitOnCtrlC: false,
        });
      } else {
        instance.rerender(view);
      }
    },
    async unmount() {
      if (instance === null) return;
      const done = instance;
      instance = null;
      done.unmount();
      await done.waitUntilExit();
    },
  };
}
