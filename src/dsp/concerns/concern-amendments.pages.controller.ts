import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { InvalidInputError, RuleBrokenError } from '../../common/domain-error';
import { IdParam } from '../../common/id-param';
import { NotFoundError } from '../../common/domain-error';
import { translate } from '../../i18n/i18n.service';
import { pageLanguageOf } from '../../i18n/reader-language';
import { FormError } from '../../web/forms/form-error';
import { AMENDABLE_FIELDS } from './concern-amendment.entity';
import { Concern } from './concern.entity';
import { ConcernAmendmentsService } from './concern-amendments.service';
import {
  AmendFormState,
  amendFormFor,
  amendFormView,
  amendValueOf,
  fieldOfQuery,
  valueInputId,
} from './amendment-page.view';
import { AmendFormDto, AmendPageQueryDto } from './dto/amend-form.dto';

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * "Correct this record" (no JavaScript): GET shows the form for one field (`?field=`, the list of
 * fields without it), filled with its current value; POST appends the correction and returns to the
 * concern page, or shows the form again with an error summary (400 bad input, 422 a broken rule).
 */
@Controller('concerns')
export class ConcernAmendmentsPagesController {
  constructor(private readonly amendments: ConcernAmendmentsService) {}

  @Get(':id/amend')
  async form(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: AmendPageQueryDto,
    @Res() response: Response,
  ) {
    const concern = await this.amendments.concernToAmend(actor, id);
    const field = fieldOfQuery(query.field);
    if (!field) return this.renderChoice(response, concern);
    return this.renderForm(response, concern, amendFormFor(field, concern), [], 200);
  }

  @Post(':id/amend')
  async amend(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: AmendFormDto,
    @Res() response: Response,
  ) {
    const field = fieldOfQuery(form.field);
    if (!field) throw new NotFoundError('Field');
    const state: AmendFormState = {
      field,
      text: form.value ?? '',
      date: form.occurredDate ?? '',
      time: form.occurredTime ?? '',
      choice: form.choice ?? '',
      codes: list(form.codes),
      reason: form.reason ?? '',
    };
    const { value, errors } = amendValueOf(state);
    if (!state.reason.trim()) errors.push({ field: 'reason', key: 'amendments.errors.reasonMissing' });
    if (errors.length)
      return this.renderForm(response, await this.amendments.concernToAmend(actor, id), state, errors, 400);
    try {
      await this.amendments.amend(actor, id, { field, value, reason: state.reason });
    } catch (error) {
      const shown = this.errorsOf(error, field);
      if (!shown) throw error;
      const concern = await this.amendments.concernToAmend(actor, id);
      return this.renderForm(response, concern, state, shown, error instanceof InvalidInputError ? 400 : 422);
    }
    return response.redirect(303, `/concerns/${id}#amendments`);
  }

  private errorsOf(error: unknown, field: (typeof AMENDABLE_FIELDS)[number]): FormError[] | null {
    if (error instanceof InvalidInputError) {
      const errors: FormError[] = [];
      const value = error.errors.value;
      // A time in the future says so, as the concern form does; anything else is "a valid value".
      if (value)
        errors.push({
          field: valueInputId(field),
          key: value.some((text) => /in the future/.test(text))
            ? 'amendments.errors.occurredFuture'
            : 'amendments.errors.value',
        });
      if (error.errors.reason) errors.push({ field: 'reason', key: 'amendments.errors.reason' });
      return errors.length ? errors : [{ field: valueInputId(field), key: 'amendments.errors.value' }];
    }
    if (
      error instanceof RuleBrokenError &&
      ['amendment_unchanged', 'amendment_window_closed', 'amendment_after_triage'].includes(error.rule)
    )
      return [{ field: valueInputId(field), key: `amendments.errors.${error.rule}` }];
    return null;
  }

  private renderChoice(response: Response, concern: Concern) {
    const language = pageLanguageOf(response);
    response.status(200).render('dsp/concern-amend', {
      titleText: translate(language, 'amendments.page.chooseTitle'),
      concernId: concern.id,
      choosing: true,
      fields: AMENDABLE_FIELDS.map((field) => ({ field, key: `amendments.fields.${field}` })),
    });
  }

  private renderForm(response: Response, concern: Concern, state: AmendFormState, errors: FormError[], status: number) {
    const language = pageLanguageOf(response);
    const view = amendFormView(state, errors);
    response.status(status).render('dsp/concern-amend', {
      ...view,
      titleText: translate(language, 'amendments.page.title', { field: translate(language, view.fieldKey) }),
      concernId: concern.id,
    });
  }
}
