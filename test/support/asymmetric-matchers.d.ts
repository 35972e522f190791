/// <reference types="jest" />
/**
 * @types/jest types Jest's asymmetric matchers (`expect.any(String)`, `expect.objectContaining(...)`)
 * as `any`, so typescript-eslint's no-unsafe-* rules flag them wherever they sit in an expected
 * object. Jest's own `expect` package types them as asymmetric matchers; say the same here.
 *
 * These overloads win because of declaration merging: a later declaration's overloads come first,
 * and the reference above makes @types/jest's declaration the earlier one. A matcher put where a
 * typed value belongs is now a type error, as it should be (it was silently `any` before).
 */
declare namespace jest {
  interface Expect {
    anything(): AsymmetricMatcher;
    any(classType: unknown): AsymmetricMatcher;
    arrayContaining<E = unknown>(arr: readonly E[]): AsymmetricMatcher;
    objectContaining<E = object>(obj: E): AsymmetricMatcher;
    stringMatching(str: string | RegExp): AsymmetricMatcher;
    stringContaining(str: string): AsymmetricMatcher;
  }

  interface InverseAsymmetricMatchers {
    arrayContaining<E = unknown>(arr: readonly E[]): AsymmetricMatcher;
    objectContaining<E = object>(obj: E): AsymmetricMatcher;
    stringMatching(str: string | RegExp): AsymmetricMatcher;
    stringContaining(str: string): AsymmetricMatcher;
  }
}
