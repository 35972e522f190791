import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { InvalidInputError } from '../../common/domain-error';
import { IdParam } from '../../common/id-param';
import { FormError } from '../../web/forms';
import { DraftGuidanceService } from '../../guidance/draft-guidance.service';
import { Guidance } from '../../guidance/guidance-engine';
import { ReasonableCause } from '../../guidance/codes';
import { toGuidanceAnswer } from '../../guidance/guidance.mapper';
import { translate } from '../../i18n/i18n.service';
import { pageLanguageOf } from '../../i18n/reader-language';
import { PUPIL_PAGE_SIZE, PupilsService } from '../../school/pupils.service';
import { ReferralFormDto } from '../escalations/dto/referral-form.dto';
import { EscalationsService } from '../escalations/escalations.service';
import {
  emptyReferralForm,
  prefillReferralForm,
  readReferralForm,
  reasonableCauseOf,
  referralRuleErrorsOf,
  toSendEscalationDto,
  withRuleErrors,
} from '../escalations/referral-form';
import { applyBodyMapAction } from './concern-form.body-map';
import {
  ConcernFormState,
  concernFormErrorsFromService,
  draftForGuidance,
  emptyConcernForm,
  readConcernForm,
  toRecordConcernDto,
} from './concern-form.parser';
import { concernFormView, isEmergencyTicked } from './concern-form.view';
import { concernPageErrorOf, concernPageErrorsOf } from './concern-page.errors';
import { withGuidanceIn } from './concern.mapper';
import { ConcernPageForms, concernPageView } from './concern-page.view';
import { guidancePanelLabels } from './guidance-panel';
import { ConcernsService } from './concerns.service';
import { ActionsService } from '../actions/actions.service';
import { CurrentRequest, pageSubmission } from '../submissions/idempotency';
import {
  decisionRuleErrorsOf,
  emptyDecisionForm,
  toCloseDto,
  toDecisionDto,
  withDecisionRuleErrors,
} from './decision-form';
import { ConcernFormDto, ConcernFormQueryDto } from './dto/concern-form.dto';
import { attachmentUploadOf, AttachmentUploadRequest } from '../attachments/attachment-body';
import { attachmentPageErrorOf, attachmentsSectionView } from '../attachments/attachments-section.view';
import { AttachmentsService } from '../attachments/attachments.service';
import { CloseFormDto, ConcernPageQueryDto, DecisionFormDto } from './dto/decision-form.dto';
import { ConcernAmendmentsService } from './concern-amendments.service';
import { amendmentsView } from './amendment-page.view';

const emptyForms = (): ConcernPageForms => ({
  decision: emptyDecisionForm(),
  referral: emptyReferralForm(),
  staffReport: emptyReferralForm(),
  close: { closeRationale: '' },
});

/**
 * The school's pages of the core loop: record a concern (any staff member), and the concern page
 * with the guidance, the history and, for a DSP, the decision, referral and close forms.
 */
@Controller('concerns')
export class ConcernsPagesController {
  constructor(
    private readonly concerns: ConcernsService,
    private readonly escalations: EscalationsService,
    private readonly pupils: PupilsService,
    private readonly draftGuidance: DraftGuidanceService,
    private readonly amendments: ConcernAmendmentsService,
    private readonly actions: ActionsService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Get('new')
  async newConcern(@CurrentActor() actor: Actor, @Query() query: ConcernFormQueryDto, @Res() response: Response) {
    if (!query.pupilId) return response.redirect(303, '/pupils');
    this.concerns.assertMayRecord(actor);
    return this.renderForm(response, actor, emptyConcernForm(query.pupilId), [], 200);
  }

  /** The form's buttons: "Record concern", or the body map's (click a figure, add a mark by body area, remove a mark). */
  @Post()
  async record(
    @CurrentActor() actor: Actor,
    @Body() form: ConcernFormDto,
    @CurrentRequest() request: Request,
    @Res() response: Response,
  ) {
    this.concerns.assertMayRecord(actor);
    const { state, action } = readConcernForm(form);
    if (action.kind === 'checkGuidance') {
      const draft = draftForGuidance(state);
      // With an emergency ticked, "Call 999 now" beside the ticks is the answer, category or not.
      if (!draft && isEmergencyTicked(state)) return this.renderForm(response, actor, state, [], 200);
      if (!draft)
        return this.renderForm(
          response,
          actor,
          state,
          [{ field: 'category', key: 'concernForm.errors.categoryForGuidance' }],
          400,
        );
      const guidance = await this.draftGuidance.evaluate(actor, draft);
      return this.renderForm(response, actor, state, [], 200, guidance);
    }
    if (action.kind !== 'record') {
      const result = applyBodyMapAction(state, action);
      return this.renderForm(response, actor, result.state, result.errors, result.errors.length ? 400 : 200);
    }
    const { dto, errors } = await toRecordConcernDto(state);
    if (!dto) return this.renderForm(response, actor, state, errors, 400);
    try {
      // The form's token: a second post of it lands on the concern the first one recorded.
      const concern = await this.concerns.record(actor, dto, pageSubmission(request, state.submissionKey));
      return response.redirect(303, `/concerns/${concern.id}?done=recorded`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return this.renderForm(response, actor, state, concernFormErrorsFromService(error.errors, state), 400);
    }
  }

  @Get(':id')
  async show(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: ConcernPageQueryDto,
    @Res() response: Response,
  ) {
    return this.renderConcern(response, actor, id, 200, emptyForms(), [], query.done, undefined, true);
  }

  @Post(':id/decision')
  async decide(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: DecisionFormDto,
    @CurrentRequest() request: Request,
    @Res() response: Response,
  ) {
    this.concerns.assertMayTriage(actor);
    const decision = {
      outcome: form.outcome ?? '',
      reasonableCause: form.reasonableCause ?? '',
      rationale: form.rationale ?? '',
      reasonForRoute: form.reasonForRoute ?? '',
      phonedDate: form.phonedDate ?? '',
      phonedTime: form.phonedTime ?? '',
    };
    const forms = { ...emptyForms(), decision };
    const judgement = reasonableCauseOf(decision.reasonableCause);
    const { dto, errors } = await toDecisionDto(decision);
    // Every problem at once: the fields' own and the downgrade rule, judged with the answer just given.
    if (!dto)
      return this.renderConcern(
        response,
        actor,
        id,
        400,
        forms,
        (guidance) => withDecisionRuleErrors(errors, decisionRuleErrorsOf(decision, guidance)),
        undefined,
        judgement,
      );
    try {
      await this.concerns.decide(actor, id, dto, pageSubmission(request, form.submissionKey));
    } catch (error) {
      const shown = concernPageErrorOf(error, 'decision');
      if (!shown) throw error;
      return this.renderConcern(response, actor, id, 422, forms, [shown], undefined, judgement);
    }
    return response.redirect(303, `/concerns/${id}?done=decided#decisions`);
  }

  /**
   * A member of staff reporting to MASH or the police themselves because no DSP can be reached
   * (Wales Safeguarding Procedures: anyone may report). The DSPs see it at once on their dashboard.
   */
  @Post(':id/staff-report')
  async staffReport(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: ReferralFormDto,
    @CurrentRequest() request: Request,
    @Res() response: Response,
  ) {
    this.escalations.assertMayReportWithoutDsp(actor);
    const report = readReferralForm(form);
    const forms = { ...emptyForms(), staffReport: report };
    const { dto, errors } = await toSendEscalationDto(report, { dspUnavailable: true });
    if (!dto)
      return this.renderConcern(response, actor, id, 400, forms, (guidance) =>
        withRuleErrors(errors, referralRuleErrorsOf(report, guidance)),
      );
    try {
      await this.escalations.send(actor, id, dto, pageSubmission(request, form.submissionKey));
    } catch (error) {
      const shown = concernPageErrorsOf(error, 'referral');
      if (!shown) throw error;
      return this.renderConcern(response, actor, id, 422, forms, withRuleErrors([], shown));
    }
    return response.redirect(303, `/concerns/${id}?done=reported`);
  }

  @Post(':id/escalations')
  async refer(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: ReferralFormDto,
    @CurrentRequest() request: Request,
    @Res() response: Response,
  ) {
    const referral = readReferralForm(form);
    const forms = { ...emptyForms(), referral };
    const { dto, errors } = await toSendEscalationDto(referral);
    // Every problem at once: the fields' own and the escalation rules the form as typed already breaks.
    if (!dto)
      return this.renderConcern(
        response,
        actor,
        id,
        400,
        forms,
        (guidance) => withRuleErrors(errors, referralRuleErrorsOf(referral, guidance)),
        undefined,
        reasonableCauseOf(referral.reasonableCause) ?? undefined,
      );
    try {
      await this.escalations.send(actor, id, dto, pageSubmission(request, form.submissionKey));
    } catch (error) {
      const shown = concernPageErrorsOf(error, 'referral');
      if (!shown) throw error;
      return this.renderConcern(response, actor, id, 422, forms, withRuleErrors([], shown));
    }
    return response.redirect(303, `/concerns/${id}?done=referred#referrals`);
  }

  @Post(':id/close')
  async close(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: CloseFormDto,
    @CurrentRequest() request: Request,
    @Res() response: Response,
  ) {
    const forms = { ...emptyForms(), close: { closeRationale: form.closeRationale ?? '' } };
    const { dto, errors } = await toCloseDto(form);
    if (!dto) return this.renderConcern(response, actor, id, 400, forms, errors);
    try {
      await this.concerns.close(actor, id, dto, pageSubmission(request, form.submissionKey));
    } catch (error) {
      const shown = concernPageErrorOf(error, 'close');
      if (!shown) throw error;
      return this.renderConcern(response, actor, id, 422, forms, [shown]);
    }
    return response.redirect(303, `/concerns/${id}?done=closed`);
  }

  /**
   * The attachments section's upload form: multipart, read before the guards by
   * dsp/attachments/attachment-body.ts (so the CSRF field is checked as on every form). A refused file
   * (none, too large, a type not accepted) comes back on the concern page in the error summary.
   */
  @Post(':id/attachments')
  async attach(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Req() request: AttachmentUploadRequest,
    @Res() response: Response,
  ) {
    try {
      await this.attachments.add(actor, id, attachmentUploadOf(request));
    } catch (error) {
      const shown = attachmentPageErrorOf(error);
      if (!shown) throw error;
      return this.renderConcern(response, actor, id, shown.status, emptyForms(), [shown.error]);
    }
    return response.redirect(303, `/concerns/${id}#attachments`);
  }

  /** The form with what the person typed; 404 (the error page) when they cannot see the pupil. */
  private async renderForm(
    response: Response,
    actor: Actor,
    state: ConcernFormState,
    errors: FormError[],
    status: number,
    guidance?: Guidance,
  ) {
    const pupil = await this.pupils.get(actor, state.pupilId);
    // The pupils the form offers to name as linked: the first page of the roll at its largest, as before paging.
    const roll = (await this.pupils.search(actor, undefined, { pageSize: PUPIL_PAGE_SIZE.max })).items;
    // Someone who cannot send a referral is told to give the concern to the DSP, not a DSP's steps.
    const forStaff = !this.concerns.pageAbilities(actor).canRefer;
    response.status(status).render('dsp/concern-form', {
      title: 'concernForm.title',
      pupil: {
        id: pupil.id,
        upn: pupil.upn,
        firstName: pupil.firstName,
        lastName: pupil.lastName,
        yearGroup: pupil.yearGroup,
      },
      ...concernFormView(state, roll, errors),
      guidance: guidance && toGuidanceAnswer(guidance, pageLanguageOf(response)),
      forStaff,
      guidancePanelLabels: guidancePanelLabels(pageLanguageOf(response), forStaff),
    });
  }

  private async renderConcern(
    response: Response,
    actor: Actor,
    id: string,
    status: number,
    forms: ConcernPageForms,
    errors: FormError[] | ((guidance: Guidance) => FormError[]),
    done?: string,
    reasonableCause?: ReasonableCause | null,
    prefillFromRoll = false,
  ) {
    const detail = await this.concerns.getWithNames(actor, id, { reasonableCause });
    // A fresh referral form starts with the household, parental responsibility and address the roll
    // import holds (only for those the access policy lets read them; null for everyone else).
    if (prefillFromRoll)
      forms = {
        ...forms,
        referral: prefillReferralForm(forms.referral, await this.pupils.contactDetails(actor, detail.pupil.id)),
      };
    const shown = typeof errors === 'function' ? errors(detail.guidance) : errors;
    const language = pageLanguageOf(response);
    const view = concernPageView(
      withGuidanceIn(language, detail),
      this.concerns.pageAbilities(actor, { organisationId: detail.organisation.id }),
      forms,
      shown,
      done,
    );
    response.status(status).render('dsp/concern', {
      ...view,
      // Corrections (dsp/concerns/concern-amendments.service.ts): the history, and the link for those who may correct it.
      amendments: {
        items: amendmentsView(detail.amendments),
        canAmend: await this.amendments.mayAmend(actor, id),
      },
      attachmentsSection: attachmentsSectionView(detail.attachments, this.attachments.mayAdd(actor), shown),
      titleText: translate(language, 'concernPage.pageTitle', { name: view.titleText }),
      // The actions set on the concern and, for its DSPs, the form to set one (views/partials/concern-actions.hbs).
      actionsPanel: await this.actions.panel(actor, detail),
    });
  }
}
