import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { ConcernListItem, ConcernsService } from '../dsp/concerns/concerns.service';
import { EscalationsService } from '../dsp/escalations/escalations.service';
import { DspWorklistReader, WorklistSection } from '../dsp/dsp-worklist';
import { EMERGENCY_INDICATORS } from '../guidance/guidance-engine';
import { InboxService } from '../local-authority/inbox.service';
import { isSettingKind } from '../common/roles';
import { PupilsService } from '../school/pupils.service';

const isEmergency = (code: string) => (EMERGENCY_INDICATORS as readonly string[]).includes(code);

/** A concern as a dashboard row. */
function concernRow(item: ConcernListItem) {
  return {
    id: item.id,
    status: item.status,
    pupil: item.pupil,
    category: item.category,
    occurredAt: item.occurredAt,
    recordedAt: item.recordedAt,
    recordedBy: item.recordedBy,
    emergency: item.indicators.some(isEmergency),
    indicators: item.indicators,
  };
}

/**
 * The starting page, by what the person may do: a DSP's triage queue, open concerns and referrals
 * waiting for an answer (read-only for a head teacher); a member of staff's own concerns; a
 * local-authority team's count of referrals to answer. Each list is one audited service read.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly accessPolicy: AccessPolicy,
    private readonly pupils: PupilsService,
    private readonly concerns: ConcernsService,
    private readonly escalations: EscalationsService,
    private readonly inbox: InboxService,
    private readonly worklist: DspWorklistReader,
  ) {}

  /** `pages`: the page of each DSP section to show (the others show their first page). */
  async forActor(actor: Actor, pages: Partial<Record<WorklistSection, number>> = {}) {
    const inSetting = isSettingKind(actor.organisationKind);
    const worksWithPupils = inSetting && this.accessPolicy.may(actor, 'pupil.read');
    const readsAll = inSetting && this.accessPolicy.may(actor, 'concern.read_all');
    const records = inSetting && this.accessPolicy.may(actor, 'concern.record');
    const receives = this.accessPolicy.may(actor, 'escalation.receive');

    const triage = readsAll
      ? {
          canTriage: this.accessPolicy.may(actor, 'concern.triage'),
          worklist: await this.worklist.forActor(actor, pages),
          open: (await this.concerns.listForOrganisation(actor, 'open')).map(concernRow),
          referrals: await this.escalations.listForOrganisation(actor, { undecided: true }),
        }
      : null;
    const myConcerns =
      records && !readsAll ? { items: (await this.concerns.listRecordedBy(actor)).map(concernRow) } : null;
    let laInbox: { undecided: number; overdue: number; sent: number } | null = null;
    if (receives) {
      const sent = await this.inbox.list(actor, 'sent');
      const acknowledged = await this.inbox.list(actor, 'acknowledged');
      const undecided = [...sent, ...acknowledged];
      laInbox = {
        undecided: undecided.length,
        overdue: undecided.filter((item) => item.overdue).length,
        sent: sent.length,
      };
    }
    return {
      worksWithPupils,
      pupilCount: worksWithPupils ? await this.pupils.countVisible(actor) : 0,
      canRecord: records,
      canReadAudit: this.accessPolicy.may(actor, 'audit.read'),
      isLocalAuthorityTeam: receives,
      isAdmin: actor.role === 'admin',
      triage: triage
        ? {
            ...triage,
            emergencies: triage.worklist.emergencies,
            overdueReferrals: triage.referrals.filter((row) => row.overdue).length,
          }
        : null,
      myConcerns,
      laInbox,
    };
  }
}
