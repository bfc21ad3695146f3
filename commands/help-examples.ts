/**
 * Two examples per command, shown at the end of its --help. Plain data keyed by the command's path, so the
 * program builder (whatever its layout, eager or lazy) only has to look them up; a test checks every
 * command has its pair and that each example parses.
 */
export const HELP_EXAMPLES: Record<string, readonly [string, string]> = {
  featurize: [
    "mosaic featurize                                        # the embedded sample → .mosaic/index",
    "mosaic featurize --catalog met.tsv --out met-index --limit 1000",
  ],
  query: [
    "mosaic query photo.jpg --culture Japanese -n 5",
    "mosaic query --id met-436535 --json | jq '.results[].id'",
  ],
  eval: ["mosaic eval --label culture", "mosaic eval --label classification -k 5 --index met-index"],
  serve: [
    "mosaic serve --index met-index --port 8890",
    "MOSAIC_API_KEY=s3cret mosaic serve --host 0.0.0.0 --allow-host images.museum.example",
  ],
  index: ["mosaic index info", "mosaic index push .mosaic/index az://indexes/art"],
  "index push": [
    "mosaic index push .mosaic/index az://indexes/art",
    "mosaic index push .mosaic/index 'postgres://me@db:5432/art?table=artworks'",
  ],
  "index pull": [
    "mosaic index pull az://indexes/art ./art-index",
    "mosaic index pull 'https://acct.blob.core.windows.net/indexes/art?sv=…' ./art-index",
  ],
  "index info": ["mosaic index info", "mosaic index info met-index --json | jq '.facets[0].values'"],
  "index merge": [
    "mosaic index merge .mosaic/index parts/0 parts/1 parts/2 parts/3",
    "mosaic index merge az://indexes/art az://indexes/art-work/parts/0 az://indexes/art-work/parts/1",
  ],
  docker: ["mosaic docker build --index .mosaic/index", "mosaic docker run --detach"],
  "docker build": ["mosaic docker build --index .mosaic/index", "mosaic docker build --dry-run --gpu"],
  "docker run": [
    "mosaic docker run --detach --index .mosaic/index",
    "mosaic docker run --port 9000 --allow-host images.museum.example -e MOSAIC_API_KEY",
  ],
  "docker push": [
    "mosaic docker push myregistry.azurecr.io",
    "mosaic docker push myregistry.azurecr.io/mosaic:1.0 --tag mosaic:latest",
  ],
  "docker exec": ["mosaic docker exec last -- node --version", "mosaic docker exec mosaic-local -- sh"],
  deploy: ["mosaic deploy local", "mosaic deploy aks --dry-run"],
  "deploy local": ["mosaic deploy local", "mosaic deploy local --port 9000 --allow-cidr 10.0.0.0/8"],
  "deploy aks": [
    "mosaic deploy aks --dry-run",
    "mosaic deploy aks --job featurize --shards 8 --catalog az://catalogs/met.tsv",
  ],
  config: [
    "mosaic config                                   # each resolved value and where it came from",
    "mosaic config --schema > mosaic.schema.json",
  ],
  completion: [
    "mosaic completion bash > ~/.local/share/bash-completion/completions/mosaic",
    "mosaic completion fish > ~/.config/fish/completions/mosaic.fish",
  ],
};

/** The "Examples:" help section of the command at `path` ("docker run"), or "" when it has none. */
export function examplesHelp(path: string): string {
  const examples = HELP_EXAMPLES[path];
  return examples ? `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n` : "";
}
