import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AuthModule } from '../auth/auth.module';
import { AccountsService } from './accounts.service';
import { InvitationsService } from './invitations.service';
import { OrganisationsAdminService } from './organisations-admin.service';
import { OrganisationsController } from './organisations.controller';
import { UsersController } from './users.controller';
import { AccountsPagesController } from './accounts.pages.controller';
import { InvitationPagesController } from './invitation.pages.controller';

/**
 * Running a local authority without the demo: its organisations, the accounts and memberships of its
 * people, invitations, and the first administrator (`npm run admin:create`). The tables are
 * organisations' (organisations/); this module holds the rules of changing them.
 */
@Module({
  imports: [OrganisationsModule, AuthModule],
  controllers: [OrganisationsController, UsersController, AccountsPagesController, InvitationPagesController],
  providers: [AccountsService, InvitationsService, OrganisationsAdminService],
  exports: [AccountsService, OrganisationsAdminService, InvitationsService],
})
export class AccountsModule {}
