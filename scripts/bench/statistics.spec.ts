import { percentile, summarise, throughputRatio } from './statistics';

describe('benchmark statistics', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms

  it('takes nearest-rank percentiles: p95 of 1..100 ms is 95 ms, p99 is 99 ms, p50 is 50 ms', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('never reports a p95 below a slow tail that is more than 5% of the answers', () => {
    const samples = [...Array.from({ length: 90 }, () => 10), ...Array.from({ length: 10 }, () => 900)];
    expect(percentile(samples, 95)).toBe(900);
    expect(percentile(samples, 90)).toBe(10);
  });

  it('gives the single answer for every percentile of one sample, and nothing for none', () => {
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 95)).toBeNull();
  });

  it('refuses a percentile outside 0–100', () => {
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
    expect(() => percentile(hundred, Number.NaN)).toThrow(RangeError);
  });

  it('summarises unsorted response times and counts requests a second over the window', () => {
    const shuffled = [...hundred].reverse();
    expect(summarise(shuffled, 4)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100, rps: 25 });
    expect(shuffled[0]).toBe(100); // the caller's array is not reordered
  });

  it('summarises a window in which nothing succeeded as zero a second and no percentiles', () => {
    expect(summarise([], 5)).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null, rps: 0 });
    expect(() => summarise([1], 0)).toThrow(RangeError);
  });

  it('gives the ratio of a route’s throughput to the bare route’s beside it', () => {
    expect(throughputRatio({ rps: 300 }, { rps: 1000 })).toBeCloseTo(0.3);
    expect(throughputRatio({ rps: 0 }, { rps: 1000 })).toBe(0);
    expect(throughputRatio({ rps: 10 }, { rps: 0 })).toBeNull();
  });
});
