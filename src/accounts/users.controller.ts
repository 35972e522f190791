import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { AccountsService } from './accounts.service';
import { AcceptInvitationDto, InviteUserDto, MembershipDto, UsersQueryDto } from './dto/user.dto';
import { InvitationsService } from './invitations.service';

/** `:token` of an invitation link: any text (an unknown one is a 404, never a 400 that hints at the format). */
export class TokenParam {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  token: string;
}

/** API.md, Accounts: only the accounts the caller manages; anything else is 403 (role) or 404 (account). */
@Controller('api')
export class UsersController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get('users')
  list(@CurrentActor() actor: Actor, @Query() query: UsersQueryDto) {
    return this.accounts.list(actor, query);
  }

  @Get('users/:id')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.accounts.get(actor, id);
  }

  /** 201 with the account (a new one, or the existing account of that email with its new role). */
  @Post('users')
  async invite(@CurrentActor() actor: Actor, @Body() dto: InviteUserDto) {
    const { account, emailSent } = await this.accounts.invite(actor, dto);
    return { ...account, emailSent };
  }

  @Post('users/:id/memberships')
  async addMembership(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: MembershipDto) {
    const { membership, emailSent } = await this.accounts.addMembership(actor, id, dto);
    return { ...membership, userId: id, emailSent };
  }

  @Delete('memberships/:id')
  @HttpCode(204)
  async endMembership(@CurrentActor() actor: Actor, @Param() { id }: IdParam): Promise<void> {
    await this.accounts.endMembership(actor, id);
  }

  @Post('users/:id/deactivate')
  @HttpCode(204)
  async deactivate(@CurrentActor() actor: Actor, @Param() { id }: IdParam): Promise<void> {
    await this.accounts.deactivate(actor, id);
  }

  @Post('users/:id/reactivate')
  @HttpCode(204)
  async reactivate(@CurrentActor() actor: Actor, @Param() { id }: IdParam): Promise<void> {
    await this.accounts.reactivate(actor, id);
  }

  /** A new link while the invitation has not been accepted (the earlier ones stop working). */
  @Post('users/:id/invitation')
  async resend(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    const { account, emailSent } = await this.accounts.resendInvitation(actor, id);
    return { ...account, emailSent };
  }

  /** Signed out: sets the password and uses the link up. */
  @Public()
  @Post('invitations/:token')
  @HttpCode(204)
  async accept(@Param() { token }: TokenParam, @Body() dto: AcceptInvitationDto): Promise<void> {
    await this.invitations.accept(token, dto.password);
  }
}
