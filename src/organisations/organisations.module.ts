import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Invitation } from './invitation.entity';
import { Membership } from './membership.entity';
import { Organisation } from './organisation.entity';
import { OrganisationsService } from './organisations.service';
import { User } from './user.entity';

/** Organisations, people and their memberships; loads the `Actor` for a session. */
@Module({
  imports: [TypeOrmModule.forFeature([Organisation, User, Membership, Invitation])],
  providers: [OrganisationsService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
