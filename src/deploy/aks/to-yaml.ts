/**
 * YAML for plain JSON data (what Kubernetes manifests are), block style, keys in insertion order.
 * Strings that YAML could read as something else (numbers, booleans, null, or anything with special
 * characters) are written double-quoted with JSON escapes, which YAML reads back identically.
 */
export function toYaml(value: unknown): string {
  return `${lines(value, 0).join("\n")}\n`;
}

/** Several documents separated by `---`. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map(toYaml).join("---\n");
}

const PLAIN = /^[A-Za-z_/$][A-Za-z0-9_./:@$()'-]*$/;
const AMBIGUOUS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as YAML`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  const text = String(value);
  // ": " and " #" end a plain scalar early; ":" at the end would start a mapping.
  return PLAIN.test(text) && !AMBIGUOUS.test(text) && !text.endsWith(":") ? text : JSON.stringify(text);
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null;
}

function isEmpty(value: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function lines(value: unknown, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (!isCollection(value)) return [`${pad}${scalar(value)}`];
  if (isEmpty(value)) return [`${pad}${Array.isArray(value) ? "[]" : "{}"}`];
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item) && !isEmpty(item)) {
        // "- " then the item's first line; its other lines line up under that first key.
        const inner = lines(item, indent + 2);
        out.push(`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1));
      } else {
        out.push(`${pad}- ${lines(item, 0)[0]}`);
      }
    }
    return out;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (isCollection(item) && !isEmpty(item)) {
      out.push(`${pad}${scalar(key)}:`);
      // Sequences under a key are indented like kubectl writes them.
      out.push(...lines(item, indent + 2));
    } else {
      out.push(`${pad}${scalar(key)}: ${lines(item, 0)[0]}`);
    }
  }
  return out;
}
