import { AuditService } from '../../src/audit/audit.service';
import { Actor } from '../../src/common/actor';
import { ForbiddenError, InvalidInputError, NotFoundError, RuleBrokenError } from '../../src/common/domain-error';
import { CARDIFF_SERVICES } from '../../src/guidance/cardiff-services';
import {
  DirectoryAdminService,
  DirectoryEntryFields,
  DirectoryEntryView,
  NewDirectoryEntry,
} from '../../src/guidance/directory/directory-admin.service';
import { DirectoryService } from '../../src/guidance/directory/directory.service';
import { ServiceDirectoryEntryRecord } from '../../src/guidance/directory/service-directory-entry.entity';
import { DEFAULT_THRESHOLDS } from '../../src/guidance/guidance-engine';
import { GuidanceService } from '../../src/guidance/guidance.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { toGuidanceAnswer } from '../../src/guidance/guidance.mapper';
import { auditEntries } from '../support/audit-chain';

describe(DirectoryAdminService.name, () => {
  let testApp: TestApp;
  let admin: DirectoryAdminService;
  let directory: DirectoryService;
  let guidance: GuidanceService;
  let audit: AuditService;
  const orgs = {} as Record<'la' | 'otherLa' | 'school', Organisation>;
  const people = {} as Record<'lead' | 'otherLead' | 'dsp' | 'head' | 'staff' | 'mash' | 'earlyHelp' | 'admin', Actor>;

  const manager = () => testApp.dataSource.manager;
  const auditCount = async () => (await auditEntries(testApp)).count();
  const recordsOf = (la: Organisation) =>
    testApp.dataSource.getRepository(ServiceDirectoryEntryRecord).find({ where: { localAuthorityId: la.id } });
  const activeCodes = async (la: Organisation) =>
    (await directory.directoryFor(manager(), la.id)).map((entry) => entry.code);

  /** The entry with this code in the lead's own directory (materialised by the overview). */
  const entry = async (code: string, actor: Actor = people.lead): Promise<DirectoryEntryView> => {
    const found = (await admin.overview(actor)).entries.find((item) => item.code === code);
    if (!found) throw new Error(`no entry ${code}`);
    return found;
  };
  const fieldsOf = (view: DirectoryEntryView, changes: Partial<DirectoryEntryFields> = {}): DirectoryEntryFields => ({
    nameEn: view.nameEn,
    nameCy: view.nameCy,
    descriptionEn: view.descriptionEn,
    descriptionCy: view.descriptionCy,
    howToAccessEn: view.howToAccessEn,
    howToAccessCy: view.howToAccessCy,
    minLevel: view.minLevel,
    maxLevel: view.maxLevel,
    issueTags: view.issueTags,
    active: view.active,
    ...changes,
  });
  const newEntry = (overrides: Partial<NewDirectoryEntry> = {}): NewDirectoryEntry => ({
    code: 'young_carers_service',
    nameEn: 'Young Carers Service',
    nameCy: 'Gwasanaeth Gofalwyr Ifanc',
    descriptionEn: 'Breaks, groups and one-to-one support for young carers.',
    descriptionCy: 'Seibiannau, grwpiau a chymorth un i un i ofalwyr ifanc.',
    howToAccessEn: 'Refer with the family’s agreement.',
    howToAccessCy: 'Atgyfeiriwch gyda chytundeb y teulu.',
    minLevel: 2,
    maxLevel: 3,
    issueTags: ['young_carer'],
    active: true,
    ...overrides,
  });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    admin = testApp.app.get(DirectoryAdminService);
    directory = testApp.app.get(DirectoryService);
    guidance = testApp.app.get(GuidanceService);
    audit = testApp.app.get(AuditService);
    const factory = new Factory(testApp.dataSource);
    orgs.la = await factory.localAuthority();
    orgs.otherLa = await factory.localAuthority();
    orgs.school = await factory.school(orgs.la);
    people.lead = await factory.actor(orgs.la, 'la_lead');
    people.otherLead = await factory.actor(orgs.otherLa, 'la_lead');
    people.dsp = await factory.actor(orgs.school, 'dsp');
    people.head = await factory.actor(orgs.school, 'head_teacher');
    people.staff = await factory.actor(orgs.school, 'staff');
    people.mash = await factory.actor(orgs.la, 'la_mash');
    people.earlyHelp = await factory.actor(orgs.la, 'la_early_help');
    people.admin = await factory.actor(orgs.la, 'admin');
  });

  afterAll(() => testApp.close());

  describe('reading', () => {
    it("copies the default directory into the authority's own on first use, once, in the defaults' order", async () => {
      expect(await recordsOf(orgs.la)).toHaveLength(0);
      const overview = await admin.overview(people.lead);
      expect(overview.entries.map((item) => item.code)).toEqual(CARDIFF_SERVICES.map((service) => service.code));
      expect(overview.entries.every((item) => item.active)).toBe(true);
      await admin.overview(people.lead);
      expect(await recordsOf(orgs.la)).toHaveLength(CARDIFF_SERVICES.length);
      expect(await recordsOf(orgs.otherLa)).toHaveLength(0);
    });

    it('copies the defaults once even when two first reads arrive together', async () => {
      const fresh = await new Factory(testApp.dataSource).localAuthority();
      const freshLead = await new Factory(testApp.dataSource).actor(fresh, 'la_lead');
      const [first, second] = await Promise.all([admin.overview(freshLead), admin.overview(freshLead)]);
      expect(first.entries.map((item) => item.id)).toEqual(second.entries.map((item) => item.id));
      expect(await recordsOf(fresh)).toHaveLength(CARDIFF_SERVICES.length);
    });

    it('shows the tunable thresholds with their bounds, and the fixed level-4 ones apart', async () => {
      const overview = await admin.overview(people.lead);
      expect(overview.thresholds).toEqual([
        { key: 'patternFrequencyCount', value: 2, defaultValue: 2, min: 1, max: 10 },
        { key: 'patternFrequencyDays', value: 30, defaultValue: 30, min: 7, max: 365 },
        { key: 'patternCategoriesCount', value: 2, defaultValue: 2, min: 2, max: 5 },
        { key: 'patternCategoriesDays', value: 90, defaultValue: 90, min: 30, max: 365 },
        { key: 'afterMashClosureMonths', value: 12, defaultValue: 12, min: 1, max: 36 },
      ]);
      expect(overview.fixed).toEqual({ repeatMashCount: 2, repeatMashMonths: 12 });
    });

    it.each(['dsp', 'head', 'staff', 'mash', 'earlyHelp', 'admin'] as const)(
      'refuses the %s role (ForbiddenError) for every read and change',
      async (who) => {
        const actor = people[who];
        const elsa = await entry('elsa');
        const before = await auditCount();
        await expect(admin.overview(actor)).rejects.toBeInstanceOf(ForbiddenError);
        await expect(admin.get(actor, elsa.id)).rejects.toBeInstanceOf(ForbiddenError);
        expect(() => admin.blank(actor)).toThrow(ForbiddenError);
        await expect(admin.add(actor, newEntry({ code: 'never_added' }))).rejects.toBeInstanceOf(ForbiddenError);
        await expect(admin.update(actor, elsa.id, fieldsOf(elsa, { nameEn: 'Changed' }))).rejects.toBeInstanceOf(
          ForbiddenError,
        );
        await expect(admin.withdraw(actor, elsa.id)).rejects.toBeInstanceOf(ForbiddenError);
        await expect(admin.restore(actor, elsa.id)).rejects.toBeInstanceOf(ForbiddenError);
        await expect(admin.updateThresholds(actor, { patternFrequencyCount: 3 })).rejects.toBeInstanceOf(
          ForbiddenError,
        );
        expect(await auditCount()).toBe(before);
        expect((await entry('elsa')).nameEn).toBe(elsa.nameEn);
      },
    );

    it("treats another authority's entry as missing (NotFoundError) for every read and change", async () => {
      const elsa = await entry('elsa');
      await expect(admin.get(people.otherLead, elsa.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        admin.update(people.otherLead, elsa.id, fieldsOf(elsa, { nameEn: 'Taken over' })),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(admin.withdraw(people.otherLead, elsa.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(admin.get(people.lead, '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect(await entry('elsa')).toEqual(elsa);
      // The other authority got its own copy of the defaults, untouched by the first one's changes.
      expect((await admin.overview(people.otherLead)).entries.map((item) => item.id)).not.toContain(elsa.id);
    });
  });

  describe('adding a service', () => {
    it('adds it at the end, offers it in guidance and audits the change against the authority', async () => {
      const before = await auditCount();
      const added = await admin.add(people.lead, newEntry());
      expect(added).toMatchObject({
        code: 'young_carers_service',
        minLevel: 2,
        maxLevel: 3,
        issueTags: ['young_carer'],
        active: true,
        updatedByName: people.lead.name,
      });
      expect((await admin.overview(people.lead)).entries.at(-1)?.code).toBe('young_carers_service');
      expect(await activeCodes(orgs.la)).toContain('young_carers_service');
      expect(await activeCodes(orgs.otherLa)).not.toContain('young_carers_service');
      expect(await auditCount()).toBe(before + 1);
      const [latest] = await audit.list(people.lead, { subjectType: 'organisation', subjectId: orgs.la.id, limit: 1 });
      expect(latest).toMatchObject({
        action: 'directory.updated',
        subjectType: 'organisation',
        subjectId: orgs.la.id,
        actor: { id: people.lead.userId },
      });

      const guidanceNow = await guidance.evaluate(manager(), people.lead, {
        category: 'wellbeing',
        issues: ['young_carer'],
        indicators: [],
        reasonableCause: null,
        occurredAt: new Date(),
        pupilId: null,
        concernId: null,
        localAuthorityId: orgs.la.id,
      });
      const answer = toGuidanceAnswer(guidanceNow, 'cy');
      expect(answer.services).toContainEqual(
        expect.objectContaining({ code: 'young_carers_service', name: 'Gwasanaeth Gofalwyr Ifanc' }),
      );
    });

    it('refuses a code the authority already uses (422, keyed code)', async () => {
      const attempt = admin.add(people.lead, newEntry({ code: 'elsa' }));
      await expect(attempt).rejects.toBeInstanceOf(RuleBrokenError);
      await expect(attempt).rejects.toMatchObject({ rule: 'code_taken', errors: { code: [expect.any(String)] } });
      // Codes are per authority: another one may use the same code.
      await expect(admin.add(people.otherLead, newEntry())).resolves.toMatchObject({ code: 'young_carers_service' });
    });

    it.each(['e', 'Elsa', 'with space', 'dash-code', 'x'.repeat(61), ''])(
      'refuses the code %p (400, keyed code)',
      async (code) => {
        await expect(admin.add(people.lead, newEntry({ code }))).rejects.toMatchObject({
          code: 'invalid_input',
          errors: { code: [expect.any(String)] },
        });
      },
    );

    it('reports every malformed field at once (400) and stores nothing', async () => {
      const before = [await auditCount(), (await recordsOf(orgs.la)).length];
      const attempt = admin.add(
        people.lead,
        newEntry({
          code: 'bad_fields',
          nameEn: '   ',
          nameCy: 'x'.repeat(201),
          descriptionCy: 'a\u0000b',
          minLevel: 5,
          maxLevel: Number.NaN,
          issueTags: ['not_an_issue'],
        }),
      );
      await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
      const error = (await attempt.catch((e: unknown) => e)) as InvalidInputError;
      expect(Object.keys(error.errors).sort()).toEqual([
        'descriptionCy',
        'issueTags',
        'maxLevel',
        'minLevel',
        'nameCy',
        'nameEn',
      ]);
      expect([await auditCount(), (await recordsOf(orgs.la)).length]).toEqual(before);
    });

    it('refuses a repeated issue tag (400)', async () => {
      await expect(
        admin.add(people.lead, newEntry({ code: 'repeated_tags', issueTags: ['housing', 'housing'] })),
      ).rejects.toMatchObject({ errors: { issueTags: [expect.any(String)] } });
    });

    it.each([
      [3, 2],
      [0, 4],
      [0, 1],
      [4, 3],
    ])(
      'refuses the level range %p to %p, which is backwards in severity order (422, keyed maxLevel)',
      async (minLevel, maxLevel) => {
        await expect(
          admin.add(people.lead, newEntry({ code: `range_${minLevel}_${maxLevel}`, minLevel, maxLevel })),
        ).rejects.toMatchObject({
          rule: 'level_range_order',
          errors: { maxLevel: [expect.any(String)] },
        });
      },
    );

    it.each([
      [1, 0],
      [4, 0],
      [0, 0],
      [2, 2],
    ])('accepts the level range %p to %p (severity order 1 < 2 < 3 < 4 < 0)', async (minLevel, maxLevel) => {
      await expect(
        admin.add(people.lead, newEntry({ code: `range_${minLevel}_${maxLevel}`, minLevel, maxLevel })),
      ).resolves.toMatchObject({ minLevel, maxLevel });
    });
  });

  describe('changing a service', () => {
    it('saves text, levels and tags, and audits which fields changed', async () => {
      const gateway = await entry('team_around_the_cluster');
      const updated = await admin.update(
        people.lead,
        gateway.id,
        fieldsOf(gateway, { nameCy: 'Tîm o Amgylch y Clwstwr (Caerdydd)', issueTags: ['attendance'], maxLevel: 2 }),
      );
      expect(updated).toMatchObject({
        code: 'team_around_the_cluster',
        nameCy: 'Tîm o Amgylch y Clwstwr (Caerdydd)',
        issueTags: ['attendance'],
        maxLevel: 2,
      });
      expect(await entry('team_around_the_cluster')).toMatchObject({
        nameCy: 'Tîm o Amgylch y Clwstwr (Caerdydd)',
        issueTags: ['attendance'],
        maxLevel: 2,
      });
      const [latest] = await (await auditEntries(testApp)).find({ order: { seq: 'DESC' }, take: 1 });
      expect(latest).toMatchObject({ action: 'directory.updated', subjectType: 'organisation', subjectId: orgs.la.id });
      expect(latest.details).toMatchObject({
        change: 'updated',
        entryId: gateway.id,
        code: 'team_around_the_cluster',
        fields: ['nameCy', 'maxLevel', 'issueTags'],
      });
    });

    it('records nothing when nothing changed', async () => {
      const elsa = await entry('elsa');
      const before = await auditCount();
      await admin.update(people.lead, elsa.id, fieldsOf(elsa));
      expect(await auditCount()).toBe(before);
    });

    it('withdraws and restores a service: withdrawn ones stay listed for the lead but are not offered', async () => {
      const thrive = await entry('thrive');
      await admin.withdraw(people.lead, thrive.id);
      expect(await activeCodes(orgs.la)).not.toContain('thrive');
      expect(await entry('thrive')).toMatchObject({ active: false });
      await admin.restore(people.lead, thrive.id);
      expect(await activeCodes(orgs.la)).toContain('thrive');
    });

    it('keeps the change and its audit entry together: nothing changes when the audit entry cannot be written', async () => {
      const elsa = await entry('elsa');
      const before = await auditCount();
      const spy = jest.spyOn(audit, 'record').mockRejectedValueOnce(new Error('audit log unavailable'));
      try {
        await expect(
          admin.update(people.lead, elsa.id, fieldsOf(elsa, { nameEn: 'Must not survive the rollback' })),
        ).rejects.toThrow('audit log unavailable');
      } finally {
        spy.mockRestore();
      }
      expect((await entry('elsa')).nameEn).toBe(elsa.nameEn);
      expect(await auditCount()).toBe(before);
    });
  });

  describe('the guarantee: an untagged service offered at level 2 and one at level 3', () => {
    // Untagged defaults at level 2: family_gateway (1–3), elsa (2), team_around_the_school (2–3);
    // at level 3 also family_help (3).
    afterEach(async () => {
      for (const code of ['elsa', 'team_around_the_school', 'family_help', 'family_gateway']) {
        const item = await entry(code);
        const original = CARDIFF_SERVICES.find((service) => service.code === code)!;
        await admin.update(
          people.lead,
          item.id,
          fieldsOf(item, {
            active: true,
            issueTags: original.issueTags,
            minLevel: original.minLevel,
            maxLevel: original.maxLevel,
          }),
        );
      }
    });

    it('allows withdrawing untagged services while another still covers each level', async () => {
      await admin.withdraw(people.lead, (await entry('elsa')).id);
      await admin.withdraw(people.lead, (await entry('team_around_the_school')).id);
      expect(await activeCodes(orgs.la)).toEqual(expect.arrayContaining(['family_gateway', 'family_help']));
    });

    it('refuses to withdraw the last untagged level-2 service (422, keyed active) and changes nothing', async () => {
      await admin.withdraw(people.lead, (await entry('elsa')).id);
      await admin.withdraw(people.lead, (await entry('team_around_the_school')).id);
      const gateway = await entry('family_gateway');
      const before = await auditCount();
      for (const attempt of [
        admin.withdraw(people.lead, gateway.id),
        admin.update(people.lead, gateway.id, fieldsOf(gateway, { active: false })),
      ]) {
        await expect(attempt).rejects.toBeInstanceOf(RuleBrokenError);
        await expect(attempt).rejects.toMatchObject({
          rule: 'directory_needs_untagged_level_2',
          errors: { active: [expect.any(String)] },
        });
      }
      expect(await auditCount()).toBe(before);
      expect(await entry('family_gateway')).toMatchObject({ active: true });
      expect(await activeCodes(orgs.la)).toContain('family_gateway');
    });

    it('refuses to tag the last untagged level-2 service (422, keyed issueTags)', async () => {
      await admin.withdraw(people.lead, (await entry('elsa')).id);
      await admin.withdraw(people.lead, (await entry('team_around_the_school')).id);
      const gateway = await entry('family_gateway');
      await expect(
        admin.update(people.lead, gateway.id, fieldsOf(gateway, { issueTags: ['housing'] })),
      ).rejects.toMatchObject({
        rule: 'directory_needs_untagged_level_2',
        errors: { issueTags: [expect.any(String)] },
      });
    });

    it('refuses to narrow the last untagged level-3 service out of level 3 (422, keyed maxLevel)', async () => {
      await admin.withdraw(people.lead, (await entry('team_around_the_school')).id);
      await admin.withdraw(people.lead, (await entry('family_help')).id);
      const gateway = await entry('family_gateway');
      await expect(admin.update(people.lead, gateway.id, fieldsOf(gateway, { maxLevel: 2 }))).rejects.toMatchObject({
        rule: 'directory_needs_untagged_level_3',
        errors: { maxLevel: [expect.any(String)] },
      });
      expect((await entry('family_gateway')).maxLevel).toBe(3);
    });

    it('refuses to move the last untagged level-2 service up to level 3 only (422, keyed minLevel)', async () => {
      await admin.withdraw(people.lead, (await entry('elsa')).id);
      await admin.withdraw(people.lead, (await entry('team_around_the_school')).id);
      const gateway = await entry('family_gateway');
      await expect(admin.update(people.lead, gateway.id, fieldsOf(gateway, { minLevel: 3 }))).rejects.toMatchObject({
        rule: 'directory_needs_untagged_level_2',
        errors: { minLevel: [expect.any(String)] },
      });
    });

    it('holds under concurrent changes: of two withdrawals that are each fine alone but not together, exactly one succeeds', async () => {
      await admin.withdraw(people.lead, (await entry('elsa')).id);
      const [school, gateway] = [await entry('team_around_the_school'), await entry('family_gateway')];
      const results = await Promise.allSettled([
        admin.withdraw(people.lead, school.id),
        admin.withdraw(people.lead, gateway.id),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const [refused] = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(refused.reason).toMatchObject({ rule: 'directory_needs_untagged_level_2' });
      const offered = (await admin.overview(people.lead)).entries.filter(
        (item) => item.active && !item.issueTags.length && item.minLevel <= 2 && item.maxLevel >= 2,
      );
      expect(offered).toHaveLength(1);
    });

    it('counts only untagged services: a tagged level-2 service does not keep the guarantee', async () => {
      await admin.withdraw(people.lead, (await entry('elsa')).id);
      await admin.withdraw(people.lead, (await entry('team_around_the_school')).id);
      expect(
        (await admin.overview(people.lead)).entries.some(
          (item) => item.active && item.issueTags.length > 0 && item.minLevel === 2,
        ),
      ).toBe(true);
      await expect(admin.withdraw(people.lead, (await entry('family_gateway')).id)).rejects.toMatchObject({
        rule: 'directory_needs_untagged_level_2',
      });
    });
  });

  describe('thresholds', () => {
    afterAll(async () => {
      await admin.updateThresholds(people.lead, {
        ...DEFAULT_THRESHOLDS,
        repeatMashCount: undefined,
        repeatMashMonths: undefined,
      });
    });

    it('saves a tunable threshold, which the guidance then uses, and audits it', async () => {
      const before = await auditCount();
      const views = await admin.updateThresholds(people.lead, { patternFrequencyCount: 3, patternFrequencyDays: 45 });
      expect(views.find((view) => view.key === 'patternFrequencyCount')?.value).toBe(3);
      expect(await directory.thresholdsFor(manager(), orgs.la.id)).toEqual({
        ...DEFAULT_THRESHOLDS,
        patternFrequencyCount: 3,
        patternFrequencyDays: 45,
      });
      expect(await directory.thresholdsFor(manager(), orgs.otherLa.id)).toEqual(DEFAULT_THRESHOLDS);
      expect(await auditCount()).toBe(before + 1);
      const [latest] = await (await auditEntries(testApp)).find({ order: { seq: 'DESC' }, take: 1 });
      expect(latest).toMatchObject({
        action: 'guidance_settings.updated',
        subjectType: 'organisation',
        subjectId: orgs.la.id,
      });
      expect(latest.details).toMatchObject({
        changed: ['patternFrequencyCount', 'patternFrequencyDays'],
        patternFrequencyCount: 3,
        patternFrequencyDays: 45,
      });

      // A later change keeps the earlier one.
      await admin.updateThresholds(people.lead, { afterMashClosureMonths: 6 });
      expect(await directory.thresholdsFor(manager(), orgs.la.id)).toMatchObject({
        patternFrequencyCount: 3,
        patternFrequencyDays: 45,
        afterMashClosureMonths: 6,
      });
    });

    it.each([
      ['patternFrequencyCount', 0],
      ['patternFrequencyCount', 11],
      ['patternFrequencyCount', 2.5],
      ['patternFrequencyDays', 6],
      ['patternCategoriesCount', 1],
      ['patternCategoriesDays', 366],
      ['afterMashClosureMonths', 37],
      ['afterMashClosureMonths', Number.NaN],
      ['afterMashClosureMonths', '12'],
    ])('refuses %s = %p (400, keyed by the threshold) and changes nothing', async (key, value) => {
      const before = await directory.thresholdsFor(manager(), orgs.la.id);
      await expect(admin.updateThresholds(people.lead, { [key]: value })).rejects.toMatchObject({
        code: 'invalid_input',
        errors: { [key]: [expect.any(String)] },
      });
      expect(await directory.thresholdsFor(manager(), orgs.la.id)).toEqual(before);
    });

    it.each(['repeatMashCount', 'repeatMashMonths', 'emergencyLevel'])(
      'refuses %s: the level-4 and emergency rules are not configurable (400)',
      async (key) => {
        await expect(admin.updateThresholds(people.lead, { [key]: 5 })).rejects.toMatchObject({
          code: 'invalid_input',
          errors: { [key]: [expect.any(String)] },
        });
        expect(await directory.thresholdsFor(manager(), orgs.la.id)).toMatchObject({
          repeatMashCount: 2,
          repeatMashMonths: 12,
        });
      },
    );
  });
});
