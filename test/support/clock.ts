/**
 * Moves only the clock (`new Date()`, `Date.now()`) to `now`: the database drivers and the app keep
 * their real timers, so a test can be "a day later" without waiting. Undo with `jest.useRealTimers()`.
 */
export function setClock(now: Date | string | number): void {
  jest.useFakeTimers({
    now: new Date(now),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}
