import { Role } from '../common/roles';
import { manages, managedMembershipsSql, managesAccounts, rolesFor } from './account-management';
import { renderEmail } from '../mail/email-content';
import { toEmailMessage } from './account-emails';

const LA = 'la-1';
const SCHOOL = 'school-1';
const OTHER_SCHOOL = 'school-2';
const actorAt = (role: Role, organisationId: string) => ({ role, organisationId, localAuthorityId: LA });

describe('who manages whom (API.md, Accounts)', () => {
  it('lets the admin manage every role at the LA and its schools, and nothing in another LA', () => {
    const admin = actorAt('admin', LA);
    for (const role of rolesFor('school')) {
      expect(manages(admin, { organisationId: SCHOOL, localAuthorityId: LA, role })).toBe(true);
      expect(manages(admin, { organisationId: 'elsewhere', localAuthorityId: 'la-2', role })).toBe(false);
    }
    for (const role of rolesFor('local_authority'))
      expect(manages(admin, { organisationId: LA, localAuthorityId: LA, role })).toBe(true);
  });

  it('lets a head teacher manage their own school’s staff, DSPs and head teachers only', () => {
    const head = actorAt('head_teacher', SCHOOL);
    const at = (organisationId: string, role: Role) => manages(head, { organisationId, localAuthorityId: LA, role });
    expect(['staff', 'dsp', 'head_teacher'].map((role) => at(SCHOOL, role as Role))).toEqual([true, true, true]);
    expect(at(OTHER_SCHOOL, 'staff')).toBe(false);
    expect(at(LA, 'la_mash')).toBe(false);
  });

  it('lets the LA lead manage the LA’s teams and leads, never the administrator or a school', () => {
    const lead = actorAt('la_lead', LA);
    const at = (organisationId: string, role: Role) => manages(lead, { organisationId, localAuthorityId: LA, role });
    expect(['la_mash', 'la_early_help', 'la_lead', 'admin'].map((role) => at(LA, role as Role))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(at(SCHOOL, 'staff')).toBe(false);
  });

  it('gives every other role nothing to manage, and no SQL to narrow by', () => {
    for (const role of ['staff', 'dsp', 'la_mash', 'la_early_help'] as Role[]) {
      const actor = actorAt(role, role.startsWith('la_') ? LA : SCHOOL);
      expect(managesAccounts(actor)).toBe(false);
      expect(managedMembershipsSql(actor)).toBeNull();
      expect(manages(actor, { organisationId: SCHOOL, localAuthorityId: LA, role: 'staff' })).toBe(false);
    }
  });

  it('knows which roles each kind of organisation has', () => {
    expect(rolesFor('school')).toEqual(['staff', 'dsp', 'head_teacher']);
    expect(rolesFor('pru')).toEqual(['staff', 'dsp', 'head_teacher']);
    expect(rolesFor('local_authority')).toEqual(['la_mash', 'la_early_help', 'la_lead', 'admin']);
  });
});

describe('account emails', () => {
  it('names the role and the organisation in each half’s own language, the recipient’s first, and nothing else', () => {
    const message = toEmailMessage(
      {
        kind: 'invitation',
        to: 'gwen@school.example',
        language: 'cy',
        path: '/invite/x',
        inviter: 'Alex Parry',
        role: 'head_teacher',
        organisation: { name: 'Riverside Primary', nameCy: 'Ysgol Gynradd Glan yr Afon' },
        authority: { name: 'Cardiff', nameCy: 'Caerdydd' },
      },
      'https://app.example/invite/x',
    );
    expect(Object.keys(message.params ?? {}).sort()).toEqual(['authority', 'inviter', 'organisation', 'role']);
    const [welsh, english] = renderEmail(message).text.split('----------');
    expect(welsh).toContain(
      "Mae Alex Parry wedi eich gwahodd i'r gwasanaeth diogelu fel Pennaeth yn Ysgol Gynradd Glan yr Afon",
    );
    expect(welsh).toContain('Caerdydd');
    expect(english).toContain(
      'Alex Parry has invited you to the safeguarding service as Head teacher at Riverside Primary',
    );
    expect(english).not.toMatch(/Pennaeth|Glan yr Afon|Caerdydd/);
    expect(message.link).toBe('https://app.example/invite/x');
  });
});
