// The spec moved to contracts/ (images/ and model/ both read it); this name stays for older importers.
export type { PreprocessSpec } from "../contracts/preprocess-spec.js";
