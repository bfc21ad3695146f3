import { tmpdir } from "node:os";
import path from "node:path";

/**
 * One model/sample cache for all test files of a run, so the embedded model is converted (and its
 * parity checked) once rather than per file. Writers in mosaic are atomic, so parallel files can share it.
 */
export const SHARED_CACHE_DIR = path.join(tmpdir(), "mosaic-test-cache");
