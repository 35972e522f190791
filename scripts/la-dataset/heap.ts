/** A binary min-heap of timed items; equal times come out in the order they went in. */
export class TimeHeap<T> {
  private readonly times: number[] = [];
  private readonly orders: number[] = [];
  private readonly items: T[] = [];
  private counter = 0;

  get size(): number {
    return this.items.length;
  }

  /** The earliest time waiting, or Infinity. */
  peekTime(): number {
    return this.items.length ? this.times[0] : Infinity;
  }

  push(time: number, item: T): void {
    this.times.push(time);
    this.orders.push(this.counter++);
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { time: number; item: T } {
    const time = this.times[0];
    const item = this.items[0];
    const last = this.items.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.orders.pop();
    this.items.pop();
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.items.length && this.less(left, smallest)) smallest = left;
      if (right < this.items.length && this.less(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
    return { time, item };
  }

  private less(a: number, b: number): boolean {
    return this.times[a] < this.times[b] || (this.times[a] === this.times[b] && this.orders[a] < this.orders[b]);
  }

  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b], this.times[a]];
    [this.orders[a], this.orders[b]] = [this.orders[b], this.orders[a]];
    [this.items[a], this.items[b]] = [this.items[b], this.items[a]];
  }
}
