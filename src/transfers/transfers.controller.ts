import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { SendTransferDto } from './dto/send-transfer.dto';
import { TransferListQueryDto } from './dto/transfer-query.dto';
import { toTransferResponse, toTransferItemResponse } from './transfer.mapper';
import { TransfersService } from './transfers.service';

/** API.md, "PRU placements and moving school": sending a pupil's safeguarding file, the lists, receipt. */
@ApiTags('transfers')
@Controller('api')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Post('pupils/:id/transfers')
  async send(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: SendTransferDto) {
    return toTransferResponse(await this.transfers.send(actor, id, dto));
  }

  @Get('transfers')
  async list(@CurrentActor() actor: Actor, @Query() query: TransferListQueryDto) {
    const page = await this.transfers.list(actor, query);
    return { ...page, items: page.items.map(toTransferItemResponse) };
  }

  @Get('transfers/:id')
  async get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return toTransferResponse(await this.transfers.get(actor, id));
  }

  @Post('transfers/:id/receive')
  async receive(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return toTransferResponse(await this.transfers.receive(actor, id));
  }
}
