/** Code-unit order: locale-independent, so every machine sorts ids and values the same way. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
