import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { PageNotice, PageNotices } from '../web/page-notices';
import { DspWorklistReader } from './dsp-worklist';

/**
 * dsp's implementation of the pages' notices: a report a member of staff sent to MASH or the police
 * because no DSP could be reached is shown to the organisation's DSPs at the top of every page, from the
 * moment it is sent until a DSP decides on the concern or closes it (DOMAIN.md: "the organisation's DSPs
 * are notified at once"). One indexed COUNT per page, for DSPs only.
 */
@Injectable()
export class StaffReportNotices implements PageNotices {
  constructor(private readonly worklist: DspWorklistReader) {}

  async noticesFor(actor: Actor): Promise<PageNotice[]> {
    if (actor.role !== 'dsp') return [];
    const count = await this.worklist.staffReportsWaiting(actor);
    return count > 0 ? [{ key: 'notices.staffReports', count, href: '/#staffReports' }] : [];
  }
}
