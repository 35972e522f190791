import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { PageCount } from '../web/page-counts';
import { PageNotice, PageNotices } from '../web/page-notices';
import { DspWorklistReader } from './dsp-worklist';

/**
 * dsp's implementation of the pages' notices: a report a member of staff sent to MASH or the police
 * because no DSP could be reached is shown to the organisation's DSPs at the top of every page, from the
 * moment it is sent until a DSP decides on the concern or closes it (DOMAIN.md: "the organisation's DSPs
 * are notified at once"). One indexed COUNT per page, for DSPs only, run with the page's other counts.
 */
@Injectable()
export class StaffReportNotices implements PageNotices {
  constructor(private readonly worklist: DspWorklistReader) {}

  noticesCount(actor: Actor): PageCount<PageNotice[]> | null {
    if (actor.role !== 'dsp') return null;
    const query = this.worklist.staffReportsWaitingQuery(actor);
    if (!query) return null;
    return {
      query,
      answer: (count) => (count > 0 ? [{ key: 'notices.staffReports', count, href: '/#staffReports' }] : []),
    };
  }
}
