import { Actor } from '../common/actor';
import { PageCount } from './page-counts';

/** Something a signed-in person must not miss, shown at the top of every page until it is dealt with. */
export interface PageNotice {
  /** Catalogue key of the words, given `count`. */
  key: string;
  count: number;
  /** Where to deal with it. */
  href: string;
}

/**
 * The pages' port for such notices (dependency inversion): the layout shows them, the module that knows
 * what is waiting (dsp/, for reports sent by staff when no DSP could be reached) provides them under
 * `PAGE_NOTICES`. Without a provider, pages show none.
 */
export interface PageNotices {
  /** What is waiting for this person, counted beside the page's other counts; null: nothing can be. */
  noticesCount(actor: Actor): PageCount<PageNotice[]> | null;
}

export const PAGE_NOTICES = Symbol('PAGE_NOTICES');
