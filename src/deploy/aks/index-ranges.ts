/** How many indexes a Job status range list holds: "0-3,5,7-8" → 7; "" or undefined → 0. */
export function countIndexRanges(ranges: string | undefined): number {
  if (!ranges) return 0;
  let count = 0;
  for (const part of ranges.split(",")) {
    const [from, to] = part.split("-").map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    count += to === undefined ? 1 : Number.isInteger(to) && to >= from ? to - from + 1 : 0;
  }
  return count;
}
