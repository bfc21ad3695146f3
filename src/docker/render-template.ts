import { MosaicError } from "../errors.js";

/**
 * Fills `{{name}}` placeholders. Every placeholder must have a value and every value must be used, so
 * a template and its caller can't drift apart silently; values are inserted verbatim.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  const unused = new Set(Object.keys(values));
  const missing = new Set<string>();
  const text = template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_match, name: string) => {
    unused.delete(name);
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return "";
    }
    return String(value);
  });
  if (missing.size > 0 || unused.size > 0) {
    throw new MosaicError(
      `Template placeholders out of step: ${[
        ...[...missing].map((n) => `{{${n}}} has no value`),
        ...[...unused].map((n) => `${n} is never used`),
      ].join(", ")}`,
      { hint: "This is a bug in mosaic's templates; please report it." },
    );
  }
  return text;
}
