/** Builders shared by the guidance specs (test code only; not part of the engine). */
import type { Language } from '../common/language';
import {
  evaluateGuidance,
  type GuidanceHistory,
  type GuidanceInput,
  type GuidanceThresholds,
  type ServiceDirectoryEntry,
} from './guidance-engine';
import { type GuidanceAnswer, toGuidanceAnswer } from './guidance.mapper';

/** T for every spec: a fixed instant, so windows are exact. */
export const T = new Date('2025-06-15T12:00:00.000Z');

export const DAY = 24 * 60 * 60 * 1000;

export const at = (msBeforeT: number): Date => new Date(T.getTime() - msBeforeT);

export const noHistory = (): GuidanceHistory => ({ otherConcerns: [], mashEscalations: [] });

/** A concern with no issues, no indicators and no history, in category `wellbeing`, unless overridden. */
export function concern(overrides: Partial<GuidanceInput> = {}): GuidanceInput {
  return {
    category: 'wellbeing',
    issues: [],
    indicators: [],
    occurredAt: T,
    ...overrides,
    history: { ...noHistory(), ...(overrides.history ?? {}) },
  };
}

/** A deterministic pseudo-random generator (mulberry32), so property tests are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSubset<T>(values: readonly T[], random: () => number, probability: number): T[] {
  return values.filter(() => random() < probability);
}

/** The engine's answer put into words, as the API and pages show it (engine + mapper, for the specs on wording). */
export function guidanceInWords(
  input: GuidanceInput,
  directory: ServiceDirectoryEntry[],
  language: Language,
  thresholds?: GuidanceThresholds,
): GuidanceAnswer {
  return toGuidanceAnswer(evaluateGuidance(input, directory, thresholds), language);
}
