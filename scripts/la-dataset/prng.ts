/**
 * A small seeded pseudo-random generator (sfc32), so two runs of the generator with the same seed and
 * scale make the same data: same names, same times, same ids. Not for anything secret.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i += 1) this.next32();
  }

  /** A new generator whose stream depends only on this one's seed and `label` (independent streams per part). */
  fork(label: string): Rng {
    let h = this.d ^ 0x811c9dc5;
    for (let i = 0; i < label.length; i += 1) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Rng(h >>> 0);
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next32() / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of `items`, each with its weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let r = this.next() * total;
    for (const [item, weight] of items) {
      r -= weight;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** Log-uniform in [min, max]: as many pupils with 20-40 concerns as with 100-200. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
  }

  /** A version-4-shaped UUID from the stream (the app's ids are opaque UUIDs). */
  uuid(): string {
    const a = this.next32();
    const b = this.next32();
    const c = this.next32();
    const d = this.next32();
    return (
      HEX[a >>> 24] +
      HEX[(a >>> 16) & 255] +
      HEX[(a >>> 8) & 255] +
      HEX[a & 255] +
      '-' +
      HEX[b >>> 24] +
      HEX[(b >>> 16) & 255] +
      '-4' +
      HEX[(b >>> 8) & 15].slice(1) +
      HEX[b & 255] +
      '-' +
      HEX[((c >>> 24) & 0x3f) | 0x80] +
      HEX[(c >>> 16) & 255] +
      '-' +
      HEX[(c >>> 8) & 255] +
      HEX[c & 255] +
      HEX[d >>> 24] +
      HEX[(d >>> 16) & 255] +
      HEX[(d >>> 8) & 255] +
      HEX[d & 255]
    );
  }
}
