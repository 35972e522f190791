import { DataSource } from 'typeorm';
import { Actor } from '../../src/common/actor';
import { newId } from '../../src/common/ids';
import { Membership } from '../../src/organisations/membership.entity';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Language, OrganisationKind, Role } from '../../src/organisations/roles';
import { User } from '../../src/organisations/user.entity';
import { Enrolment, EnrolmentType } from '../../src/school/enrolment.entity';
import { Household } from '../../src/school/household.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { upnFor } from '../../src/school/upn';

let sequence = 0;
const next = () => (sequence += 1);

/** Test data with sensible defaults; each test states only what matters to it. */
export class Factory {
  constructor(private readonly dataSource: DataSource) {}

  async organisation(kind: OrganisationKind, overrides: Partial<Organisation> = {}): Promise<Organisation> {
    const organisation: Organisation = {
      id: newId(),
      kind,
      name: `${kind} ${next()}`,
      localAuthorityId: null,
      createdAt: new Date(),
      ...overrides,
    };
    await this.dataSource.getRepository(Organisation).insert(organisation);
    return organisation;
  }

  localAuthority(overrides: Partial<Organisation> = {}) {
    return this.organisation('local_authority', overrides);
  }

  school(localAuthority: Organisation, overrides: Partial<Organisation> = {}) {
    return this.organisation('school', { localAuthorityId: localAuthority.id, ...overrides });
  }

  pru(localAuthority: Organisation, overrides: Partial<Organisation> = {}) {
    return this.organisation('pru', { localAuthorityId: localAuthority.id, ...overrides });
  }

  /** A person with one membership, returned as the Actor services receive. */
  async actor(organisation: Organisation, role: Role, overrides: { name?: string; language?: Language } = {}): Promise<Actor> {
    const n = next();
    const user: User = {
      id: newId(),
      email: `${role}.${n}@test.example`,
      name: overrides.name ?? `${role} ${n}`,
      passwordHash: 'scrypt$1$1$1$AA==$AA==',
      language: overrides.language ?? 'en',
      createdAt: new Date(),
    };
    await this.dataSource.getRepository(User).insert(user);
    const membership: Membership = { id: newId(), userId: user.id, organisationId: organisation.id, role, createdAt: new Date() };
    await this.dataSource.getRepository(Membership).insert(membership);
    return {
      userId: user.id,
      membershipId: membership.id,
      email: user.email,
      name: user.name,
      role,
      organisationId: organisation.id,
      organisationName: organisation.name,
      organisationKind: organisation.kind,
      localAuthorityId: organisation.localAuthorityId ?? organisation.id,
      language: user.language,
    };
  }

  async household(): Promise<Household> {
    const household: Household = { id: newId(), label: null, createdAt: new Date() };
    await this.dataSource.getRepository(Household).insert(household);
    return household;
  }

  /** A pupil enrolled (main) at `at`, unless `enrolments` says otherwise. */
  async pupil(
    at: Organisation | null,
    overrides: Partial<Pupil> & { enrolmentType?: EnrolmentType; endedOn?: string | null } = {},
  ): Promise<Pupil> {
    const n = next();
    const { enrolmentType, endedOn, ...fields } = overrides;
    const pupil: Pupil = {
      id: newId(),
      upn: upnFor(`999${String(n).padStart(9, '0')}`),
      firstName: `First${n}`,
      lastName: `Last${n}`,
      preferredName: null,
      dateOfBirth: '2015-05-01',
      gender: 'not_stated',
      yearGroup: 6,
      homeLanguage: 'English',
      lookedAfter: false,
      cpRegister: false,
      aln: false,
      youngCarer: false,
      eal: false,
      fsm: false,
      welshSpeaker: false,
      householdId: null,
      createdAt: new Date(),
      ...fields,
    };
    await this.dataSource.getRepository(Pupil).insert(pupil);
    if (at) await this.enrol(pupil, at, enrolmentType ?? 'main', endedOn ?? null);
    return pupil;
  }

  async enrol(pupil: Pupil, at: Organisation, type: EnrolmentType, endedOn: string | null = null): Promise<Enrolment> {
    const enrolment: Enrolment = {
      id: newId(),
      pupilId: pupil.id,
      organisationId: at.id,
      type,
      startedOn: '2025-09-01',
      endedOn,
      createdAt: new Date(),
    };
    await this.dataSource.getRepository(Enrolment).insert(enrolment);
    return enrolment;
  }
}
