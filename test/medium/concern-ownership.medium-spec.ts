import { ConcernOwnedElsewhereError } from '../../src/access/access-policy';
import { Actor } from '../../src/common/actor';
import { ConcernClosure } from '../../src/dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * A pupil on the roll of a home school and, dually, of a PRU: both settings' DSPs read every concern,
 * but only the setting that recorded a concern decides, refers and closes it; the other records its own.
 */
describe('who owns a concern about a dual-registered pupil', () => {
  let testApp: TestApp;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let factory: Factory;
  let pupil: Pupil;
  const dsps = {} as Record<'home' | 'pru', Actor>;
  let homeHead: Actor;

  type Action = 'decide' | 'refer' | 'close';
  const act = (who: Actor, concern: Concern, action: Action) => {
    switch (action) {
      case 'decide':
        return concerns.decide(who, concern.id, { outcome: 'monitor', rationale: 'Keep watching.' });
      case 'refer':
        return escalations.send(who, concern.id, {
          route: 'mash',
          reasonForRoute: 'The child disclosed being hit at home.',
          consent: { sought: false, reasonNotSought: 'Asking would put the child at further risk.' },
        });
      case 'close':
        return concerns.close(who, concern.id, { rationale: 'Resolved.' });
    }
  };
  const recordsOf = async (concern: Concern) => ({
    decisions: await testApp.dataSource.getRepository(ConcernDecision).count({ where: { concernId: concern.id } }),
    referrals: await testApp.dataSource.getRepository(Escalation).count({ where: { concernId: concern.id } }),
    closures: await testApp.dataSource.getRepository(ConcernClosure).count({ where: { concernId: concern.id } }),
  });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    factory = new Factory(testApp.dataSource);
    const la = await factory.localAuthority();
    const home = await factory.school(la);
    const pru = await factory.pru(la);
    pupil = await factory.pupil(home);
    await factory.enrol(pupil, pru, 'dual');
    dsps.home = await factory.actor(home, 'dsp');
    dsps.pru = await factory.actor(pru, 'dsp');
    homeHead = await factory.actor(home, 'head_teacher');
  });

  afterAll(() => testApp.close());

  const MATRIX: Array<[recordedBy: 'home' | 'pru', actor: 'home' | 'pru', action: Action, allowed: boolean]> = [];
  for (const recordedBy of ['home', 'pru'] as const)
    for (const actor of ['home', 'pru'] as const)
      for (const action of ['decide', 'refer', 'close'] as const)
        MATRIX.push([recordedBy, actor, action, recordedBy === actor]);

  it.each(MATRIX)(
    'a concern recorded by the %s setting: its %s DSP may %s? %p',
    async (recordedBy, actor, action, allowed) => {
      const concern = await factory.concern(pupil, dsps[recordedBy]);
      const before = await recordsOf(concern);
      if (allowed) {
        await act(dsps[actor], concern, action);
        expect(await recordsOf(concern)).not.toEqual(before);
      } else {
        await expect(act(dsps[actor], concern, action)).rejects.toBeInstanceOf(ConcernOwnedElsewhereError);
        expect(await recordsOf(concern)).toEqual(before);
      }
    },
  );

  it("lets both settings' DSPs read the other's concern, and record their own about the pupil", async () => {
    for (const [recordedBy, reader] of [
      ['home', 'pru'],
      ['pru', 'home'],
    ] as const) {
      const concern = await factory.concern(pupil, dsps[recordedBy]);
      expect((await concerns.get(dsps[reader], concern.id)).id).toBe(concern.id);
      expect(concerns.pageAbilities(dsps[reader], concern).ownsDecisions).toBe(false);
      expect(concerns.pageAbilities(dsps[recordedBy], concern).ownsDecisions).toBe(true);
      const own = await concerns.record(dsps[reader], {
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        category: 'wellbeing',
        summary: 'Seen here too.',
        evidenceBasis: 'observed',
      });
      await concerns.decide(dsps[reader], own.id, { outcome: 'monitor', rationale: 'Ours to watch.' });
    }
  });

  it('refuses a head teacher reporting without a DSP on the other setting’s concern only by ownership, after their role', async () => {
    const pruConcern = await factory.concern(pupil, dsps.pru);
    // Without dspUnavailable a head teacher may not refer at all (403, as before).
    await expect(act(homeHead, pruConcern, 'refer')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      escalations.send(homeHead, pruConcern.id, {
        route: 'mash',
        dspUnavailable: true,
        reasonForRoute: 'No DSP answers and the child is at risk now.',
        consent: { sought: false, reasonNotSought: 'Asking would put the child at further risk.' },
      }),
    ).rejects.toBeInstanceOf(ConcernOwnedElsewhereError);
  });
});
