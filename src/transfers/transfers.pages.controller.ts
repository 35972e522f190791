import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { PageFormDto } from '../common/page-form.dto';
import { pagerFor } from '../common/pager';
import { FormError, validateAs, wholeNumber } from '../web/forms';
import { PupilsService } from '../school/pupils.service';
import { SendTransferDto } from './dto/send-transfer.dto';
import { TransferDirection } from './dto/transfer-query.dto';
import { EXTERNAL_SEND_METHODS } from './transfer.entity';
import { TransferError, TransferRuleError } from './transfer-errors';
import {
  EXTERNAL_CHOICE,
  SendTransferForm,
  SendTransferFormDto,
  mixedDestinationError,
  sendBodyOf,
  sendFormErrors,
  sendFormOf,
  sendRuleError,
  TransferPageQueryDto,
  TransfersPageQueryDto,
} from './transfer-pages';
import { TransfersService } from './transfers.service';

const LIST_PAGE_SIZE = 25;

const pageNumber = (value: string | undefined) => {
  const n = wholeNumber(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

/** `/transfers` (incoming and outgoing), `/transfers/:id` (details and receipt), `/pupils/:id/transfer` (send). */
@Controller()
export class TransfersPagesController {
  constructor(
    private readonly transfers: TransfersService,
    private readonly pupils: PupilsService,
  ) {}

  @Get('transfers')
  async listPage(@CurrentActor() actor: Actor, @Query() query: TransfersPageQueryDto, @Res() response: Response) {
    const section = async (direction: TransferDirection) => {
      const page = query.direction === direction ? pageNumber(query.page) : 1;
      const listed = await this.transfers.list(actor, { direction, page, pageSize: LIST_PAGE_SIZE });
      return {
        ...listed,
        pagination: pagerFor(listed, (n) => `/transfers?direction=${direction}&page=${n}#${direction}`),
      };
    };
    response.render('transfers/list', {
      title: 'transfers.list.title',
      incoming: await section('incoming'),
      outgoing: await section('outgoing'),
    });
  }

  @Get('transfers/:id')
  async transferPage(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: TransferPageQueryDto,
    @Res() response: Response,
  ) {
    await this.renderTransfer(response, 200, actor, id, query.done);
  }

  @Post('transfers/:id/receive')
  async receive(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() _form: PageFormDto,
    @Res() response: Response,
  ) {
    try {
      await this.transfers.receive(actor, id);
    } catch (error) {
      if (error instanceof TransferRuleError && error.reason === TransferError.AlreadyReceived)
        return this.renderTransfer(response, 422, actor, id, undefined, [
          { field: 'receive', key: 'transfers.rules.already_received' },
        ]);
      throw error;
    }
    response.redirect(303, `/transfers/${id}?done=received`);
  }

  @Get('pupils/:id/transfer')
  async sendPage(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() response: Response) {
    await this.transfers.assertMaySend(actor, id);
    await this.renderSend(response, 200, actor, id, sendFormOf({}), []);
  }

  @Post('pupils/:id/transfer')
  async send(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() posted: SendTransferFormDto,
    @Res() response: Response,
  ) {
    await this.transfers.assertMaySend(actor, id);
    const form = sendFormOf(posted);
    const mixed = mixedDestinationError(form);
    if (mixed) return this.renderSend(response, 400, actor, id, form, [mixed]);
    const { dto, problems } = await validateAs(SendTransferDto, sendBodyOf(form));
    if (problems.length) return this.renderSend(response, 400, actor, id, form, sendFormErrors(problems));
    try {
      const sent = await this.transfers.send(actor, id, dto);
      response.redirect(303, `/transfers/${sent.id}?done=sent`);
    } catch (error) {
      const problem = sendRuleError(error);
      if (!problem) throw error;
      return this.renderSend(response, 422, actor, id, form, [problem]);
    }
  }

  private async renderSend(
    response: Response,
    status: number,
    actor: Actor,
    pupilId: string,
    form: SendTransferForm,
    errors: FormError[],
  ) {
    const pupil = await this.pupils.get(actor, pupilId);
    const destinations = (await this.transfers.destinations(actor)).map((d) => ({
      ...d,
      checked: form.destination === d.id,
    }));
    response.status(status).render('transfers/send', {
      title: 'transfers.send.title',
      pupil,
      form,
      errors,
      destinations,
      externalChecked: form.destination === EXTERNAL_CHOICE,
      methods: EXTERNAL_SEND_METHODS.map((method) => ({ value: method, checked: form.sentBy === method })),
    });
  }

  private async renderTransfer(
    response: Response,
    status: number,
    actor: Actor,
    id: string,
    done?: string,
    errors: FormError[] = [],
  ) {
    const transfer = await this.transfers.get(actor, id);
    const receivingSide = transfer.toOrganisationId === actor.organisationId;
    response.status(status).render('transfers/transfer', {
      title: 'transfers.transfer.title',
      transfer,
      done,
      errors,
      receivingSide,
      external: transfer.toOrganisationId === null,
      // Shown to the receiving organisation's DSP while it waits; the service decides again on the post.
      canReceive: receivingSide && transfer.status === 'sent' && actor.role === 'dsp',
      // The sender reads the pupil's chronology (whole before it leaves, what it held after).
      senderSide: transfer.fromOrganisationId === actor.organisationId,
    });
  }
}
