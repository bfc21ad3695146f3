/** `mosaic config`: one line per resolved value, `key = value` and where it came from, file first. */
export function formatConfig(input: {
  file: string | null;
  config: Record<string, unknown>;
  sources: Record<string, string>;
  warnings: readonly string[];
}): string {
  const lines = [
    input.file ? `# config file: ${input.file}` : "# config file: none (defaults, MOSAIC_* env, flags)",
  ];
  for (const w of input.warnings) lines.push(`# warning: ${w}`);
  const keys = Object.keys(input.sources);
  const shown = keys.map((k) => `${k} = ${JSON.stringify(valueAt(input.config, k))}`);
  const width = Math.min(60, Math.max(...shown.map((s) => s.length)));
  keys.forEach((k, i) => {
    lines.push(`${shown[i]!.padEnd(width)}  # ${input.sources[k]}`);
  });
  return lines.join("\n");
}

function valueAt(config: Record<string, unknown>, dotted: string): unknown {
  let cur: unknown = config;
  for (const key of dotted.split(".")) cur = (cur as Record<string, unknown> | undefined)?.[key];
  return cur;
}
