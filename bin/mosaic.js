#!/usr/bin/env node
import { availableParallelism } from "node:os";

// sharp decodes on libuv's thread pool (4 threads by default); size it to the machine before first use.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));
await import("../dist/src/cli.js");
