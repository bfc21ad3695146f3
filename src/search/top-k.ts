/**
 * Many bounded min-heaps of (score, ordinal) packed into flat typed arrays: heap h owns slots
 * [h*k, h*k+k). The root is the worst kept hit, so a candidate is rejected with one comparison in the
 * common case. "Worse" means lower score, or equal score and larger id — the reverse of the result
 * order (score desc, id asc) — so ties resolve the same way whatever order candidates arrive in.
 * One heap serves a search; one per item serves leave-one-out evaluation.
 */
export class TopKHeaps {
  readonly scores: Float64Array;
  readonly ordinals: Int32Array;
  readonly sizes: Int32Array;

  constructor(
    heaps: number,
    readonly k: number,
    private readonly idOf: (ordinal: number) => string,
  ) {
    this.scores = new Float64Array(heaps * k);
    this.ordinals = new Int32Array(heaps * k);
    this.sizes = new Int32Array(heaps);
  }

  /** Offers (ordinal, score) to heap h. */
  push(h: number, ordinal: number, score: number): void {
    const k = this.k;
    const base = h * k;
    const size = this.sizes[h]!;
    const scores = this.scores;
    if (size === k) {
      const worst = scores[base]!;
      if (score < worst) return;
      if (score === worst && this.idOf(ordinal) > this.idOf(this.ordinals[base]!)) return;
      this.siftDown(base, ordinal, score);
      return;
    }
    if (k === 0) return;
    this.sizes[h] = size + 1;
    this.siftUp(base, size, ordinal, score);
  }

  /** Heap h's hits, best first. */
  sorted(h: number): { ordinal: number; score: number }[] {
    const base = h * this.k;
    const out: { ordinal: number; score: number }[] = [];
    for (let i = 0; i < this.sizes[h]!; i++)
      out.push({ ordinal: this.ordinals[base + i]!, score: this.scores[base + i]! });
    return out.sort((a, b) => (this.worse(a.ordinal, a.score, b.ordinal, b.score) ? 1 : -1));
  }

  private worse(oa: number, sa: number, ob: number, sb: number): boolean {
    return sa < sb || (sa === sb && this.idOf(oa) > this.idOf(ob));
  }

  private siftUp(base: number, at: number, ordinal: number, score: number): void {
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const po = this.ordinals[base + parent]!;
      const ps = this.scores[base + parent]!;
      if (!this.worse(ordinal, score, po, ps)) break;
      this.ordinals[base + i] = po;
      this.scores[base + i] = ps;
      i = parent;
    }
    this.ordinals[base + i] = ordinal;
    this.scores[base + i] = score;
  }

  /** Replaces the root with (ordinal, score) and restores the heap. */
  private siftDown(base: number, ordinal: number, score: number): void {
    const size = this.k;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      let c = l;
      if (
        r < size &&
        this.worse(
          this.ordinals[base + r]!,
          this.scores[base + r]!,
          this.ordinals[base + l]!,
          this.scores[base + l]!,
        )
      ) {
        c = r;
      }
      const co = this.ordinals[base + c]!;
      const cs = this.scores[base + c]!;
      if (!this.worse(co, cs, ordinal, score)) break;
      this.ordinals[base + i] = co;
      this.scores[base + i] = cs;
      i = c;
    }
    this.ordinals[base + i] = ordinal;
    this.scores[base + i] = score;
  }
}
