import { toChronologyResponse } from '../../src/chronology/chronology.mapper';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { Actor } from '../../src/common/actor';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Enrolment } from '../../src/school/enrolment.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { Transfer } from '../../src/transfers/transfer.entity';
import { TransfersService } from '../../src/transfers/transfers.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe(TransfersService.name, () => {
  let testApp: TestApp;
  let factory: Factory;
  let transfers: TransfersService;
  let chronology: ChronologyService;
  let pupils: PupilsService;
  const orgs = {} as Record<'la' | 'otherLa' | 'riverside' | 'hillcrest' | 'third' | 'pru' | 'far', Organisation>;
  const people = {} as Record<
    'riversideDsp' | 'riversideHead' | 'riversideStaff' | 'hillcrestDsp' | 'hillcrestHead' | 'thirdDsp' | 'pruDsp',
    Actor
  >;

  const summariesReadBy = async (actor: Actor, pupil: Pupil) =>
    toChronologyResponse(await chronology.forPupil(actor, pupil.id), 'en').entries.map((e) => e.detail ?? e.title);
  const enrolmentsOf = (pupil: Pupil) =>
    testApp.dataSource.getRepository(Enrolment).find({ where: { pupilId: pupil.id }, order: { createdAt: 'ASC' } });
  const sendTo = (actor: Actor, pupil: Pupil, to: Organisation, leavingOn = dayOf(Date.now() - DAY)) =>
    transfers.send(actor, pupil.id, {
      toOrganisationId: to.id,
      leavingOn,
      note: 'Please read the March concern first',
    });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    transfers = testApp.app.get(TransfersService);
    chronology = testApp.app.get(ChronologyService);
    pupils = testApp.app.get(PupilsService);
    orgs.la = await factory.localAuthority();
    orgs.otherLa = await factory.localAuthority();
    orgs.riverside = await factory.school(orgs.la, { name: 'Riverside' });
    orgs.hillcrest = await factory.school(orgs.la, { name: 'Hillcrest' });
    orgs.third = await factory.school(orgs.la);
    orgs.pru = await factory.pru(orgs.la);
    orgs.far = await factory.school(orgs.otherLa);
    people.riversideDsp = await factory.actor(orgs.riverside, 'dsp');
    people.riversideHead = await factory.actor(orgs.riverside, 'head_teacher');
    people.riversideStaff = await factory.actor(orgs.riverside, 'staff');
    people.hillcrestDsp = await factory.actor(orgs.hillcrest, 'dsp');
    people.hillcrestHead = await factory.actor(orgs.hillcrest, 'head_teacher');
    people.thirdDsp = await factory.actor(orgs.third, 'dsp');
    people.pruDsp = await factory.actor(orgs.pru, 'dsp');
  });

  afterAll(() => testApp.close());

  describe('a file sent and received inside the local authority', () => {
    let pupil: Pupil;
    let transferId: string;

    beforeAll(async () => {
      pupil = await factory.pupil(orgs.riverside);
      await factory.enrol(pupil, orgs.pru, 'dual');
      await factory.concern(pupil, people.riversideStaff, { summary: 'Riverside: before the move' });
      await factory.concern(pupil, people.pruDsp, { summary: 'PRU: before the move' });
      transferId = (await sendTo(people.riversideDsp, pupil, orgs.hillcrest)).id;
    });

    it('is sent, due 5 working days later, and waits for receipt on both sides', async () => {
      const sent = await transfers.get(people.riversideDsp, transferId);
      expect(sent).toMatchObject({
        status: 'sent',
        overdue: false,
        receivedAt: null,
        fromOrganisationId: orgs.riverside.id,
        toOrganisationId: orgs.hillcrest.id,
        pupil: { id: pupil.id, upn: pupil.upn, firstName: pupil.firstName, dateOfBirth: pupil.dateOfBirth },
      });
      expect(Date.parse(sent.dueBy) - Date.parse(sent.sentAt)).toBeGreaterThanOrEqual(5 * DAY);
      expect(await transfers.counts(people.hillcrestDsp)).toMatchObject({ incoming: { waiting: 1, overdue: 0 } });
      expect(await transfers.counts(people.riversideHead)).toMatchObject({ outgoing: { waiting: 1, overdue: 0 } });
    });

    it('before receipt, the receiving side reads the transfer row only: not the pupil, not the chronology', async () => {
      const incoming = await transfers.list(people.hillcrestDsp, { direction: 'incoming' });
      expect(incoming.items.map((i) => i.pupil.id)).toContain(pupil.id);
      await expect(pupils.get(people.hillcrestDsp, pupil.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(chronology.forPupil(people.hillcrestDsp, pupil.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(transfers.get(people.thirdDsp, transferId)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('a second transfer of the same pupil waits: 422 on status', async () => {
      await expect(sendTo(people.riversideDsp, pupil, orgs.third)).rejects.toMatchObject({
        code: 'rule_broken',
        rule: 'open_transfer',
        errors: { status: [expect.any(String)] },
      });
    });

    it('only the receiving DSP confirms receipt: the sender and the receiving head teacher are refused (403)', async () => {
      await expect(transfers.receive(people.riversideDsp, transferId)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(transfers.receive(people.hillcrestHead, transferId)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(transfers.receive(people.thirdDsp, transferId)).rejects.toMatchObject({ code: 'not_found' });
    });

    describe('once received', () => {
      beforeAll(async () => {
        await transfers.receive(people.hillcrestDsp, transferId);
        // Made after the receipt (a second later, so no clock tie with the receipt's instant).
        await factory.concern(pupil, people.hillcrestDsp, {
          summary: 'Hillcrest: after the move',
          recordedAt: new Date(Date.now() + SECOND),
        });
      });

      it('moves the roll: a main enrolment at the receiver, the sender’s ended on the leaving day; the PRU stays', async () => {
        const enrolments = await enrolmentsOf(pupil);
        const at = (org: Organisation) => enrolments.filter((e) => e.organisationId === org.id);
        expect(at(orgs.riverside).map((e) => e.endedOn)).toEqual([dayOf(Date.now() - DAY)]);
        expect(at(orgs.hillcrest)).toEqual([expect.objectContaining({ type: 'main', endedOn: null })]);
        expect(at(orgs.pru)).toEqual([expect.objectContaining({ type: 'dual', endedOn: null })]);
      });

      it('the receiver reads the whole chronology, with the transfer sent and received', async () => {
        const read = await summariesReadBy(people.hillcrestHead, pupil);
        expect(read).toEqual(
          expect.arrayContaining([
            'Riverside: before the move',
            'PRU: before the move',
            'Hillcrest: after the move',
            'Please read the March concern first',
            'Safeguarding file received from Riverside',
          ]),
        );
        const kinds = toChronologyResponse(await chronology.forPupil(people.hillcrestDsp, pupil.id), 'en')
          .entries.filter((e) => e.kind === 'transfer')
          .map((e) => e.title);
        expect(kinds).toEqual(['Safeguarding file sent to Hillcrest', 'Safeguarding file received from Riverside']);
      });

      it('the sender reads what it held up to the receipt, and nothing made after', async () => {
        for (const reader of [people.riversideDsp, people.riversideHead]) {
          const read = await summariesReadBy(reader, pupil);
          expect(read).toEqual(expect.arrayContaining(['Riverside: before the move', 'PRU: before the move']));
          expect(read).toContain('Safeguarding file received from Riverside');
          expect(read).not.toContain('Hillcrest: after the move');
        }
        await expect(chronology.forPupil(people.riversideStaff, pupil.id)).rejects.toMatchObject({
          code: 'not_found',
        });
      });

      it('is received once: a second receipt is 422 on status; counts no longer wait', async () => {
        await expect(transfers.receive(people.hillcrestDsp, transferId)).rejects.toMatchObject({
          code: 'rule_broken',
          errors: { status: [expect.any(String)] },
        });
        const received = await transfers.get(people.riversideDsp, transferId);
        expect(received).toMatchObject({ status: 'received', overdue: false, receivedAt: expect.any(String) });
      });

      it('the pupil leaves the sender’s roll, so it can no longer send the file; the receiver now can', async () => {
        await expect(sendTo(people.riversideDsp, pupil, orgs.third)).rejects.toMatchObject({
          rule: 'pupil_not_enrolled',
        });
        const onward = await sendTo(people.hillcrestDsp, pupil, orgs.third);
        expect(onward.status).toBe('sent');
      });
    });
  });

  describe('choosing where the file goes', () => {
    it('refuses the sender itself, another local authority’s school and an unknown id (422 on toOrganisationId)', async () => {
      const pupil = await factory.pupil(orgs.riverside);
      for (const to of [orgs.riverside, orgs.far, orgs.la]) {
        await expect(sendTo(people.riversideDsp, pupil, to)).rejects.toMatchObject({
          code: 'rule_broken',
          errors: { toOrganisationId: [expect.any(String)] },
        });
      }
      const destinations = await transfers.destinations(people.riversideDsp);
      expect(destinations.map((d) => d.id)).toEqual(expect.arrayContaining([orgs.hillcrest.id, orgs.pru.id]));
      expect(destinations.map((d) => d.id)).not.toContain(orgs.riverside.id);
      expect(destinations.map((d) => d.id)).not.toContain(orgs.far.id);
    });

    it('a pupil the caller cannot see is 404; a head teacher who can see it is 403', async () => {
      const pupil = await factory.pupil(orgs.riverside);
      await expect(sendTo(people.thirdDsp, pupil, orgs.hillcrest)).rejects.toMatchObject({ code: 'not_found' });
      await expect(sendTo(people.riversideHead, pupil, orgs.hillcrest)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(sendTo(people.riversideStaff, pupil, orgs.hillcrest)).rejects.toMatchObject({ code: 'forbidden' });
    });
  });

  describe('a file sent outside the local authority', () => {
    it('is sent_externally at once: the enrolment ends on the leaving day and the sender keeps what it held', async () => {
      const pupil = await factory.pupil(orgs.riverside);
      await factory.concern(pupil, people.riversideStaff, { summary: 'Before leaving Cardiff' });
      const sent = await transfers.send(people.riversideDsp, pupil.id, {
        toExternal: { name: 'Ysgol Aberaeron', localAuthority: 'Ceredigion' },
        sentBy: 'secure_email',
        leavingOn: dayOf(Date.now() - DAY),
      });
      expect(sent).toMatchObject({
        status: 'sent_externally',
        toOrganisationId: null,
        toExternal: { name: 'Ysgol Aberaeron', localAuthority: 'Ceredigion' },
        sentBy: 'secure_email',
        overdue: false,
      });
      expect((await enrolmentsOf(pupil)).map((e) => e.endedOn)).toEqual([dayOf(Date.now() - DAY)]);
      const read = await summariesReadBy(people.riversideDsp, pupil);
      expect(read).toEqual(
        expect.arrayContaining([
          'Before leaving Cardiff',
          'Safeguarding file sent outside the local authority, to Ysgol Aberaeron',
        ]),
      );
      expect(await transfers.counts(people.riversideDsp)).toMatchObject({ outgoing: { overdue: 0 } });
    });

    it('with a leaving day still to come, the pupil stays on the roll until then', async () => {
      const pupil = await factory.pupil(orgs.riverside);
      await transfers.send(people.riversideDsp, pupil.id, {
        toExternal: { name: 'Ysgol Aberaeron' },
        sentBy: 'by_hand',
        leavingOn: dayOf(Date.now() + 7 * DAY),
      });
      expect((await pupils.get(people.riversideDsp, pupil.id)).id).toBe(pupil.id);
    });
  });

  describe('overdue', () => {
    it('a transfer unreceived after its due time is overdue on both sides’ lists and counts', async () => {
      const late = await factory.school(orgs.la);
      const lateDsp = await factory.actor(late, 'dsp');
      const pupil = await factory.pupil(orgs.riverside);
      const { id } = await sendTo(people.riversideDsp, pupil, late);
      const sql =
        testApp.dataSource.options.type === 'postgres'
          ? 'UPDATE transfers SET sent_at = $1, due_by = $2 WHERE id = $3'
          : 'UPDATE transfers SET sent_at = ?, due_by = ? WHERE id = ?';
      await testApp.dataSource.query(sql, [
        new Date(Date.now() - 10 * DAY).toISOString(),
        new Date(Date.now() - 3 * DAY).toISOString(),
        id,
      ]);
      expect(await transfers.counts(lateDsp)).toEqual({
        incoming: { waiting: 1, overdue: 1 },
        outgoing: { waiting: 0, overdue: 0 },
      });
      expect((await transfers.counts(people.riversideDsp)).outgoing.overdue).toBeGreaterThanOrEqual(1);
      const incoming = await transfers.list(lateDsp, { direction: 'incoming' });
      expect(incoming.items.find((i) => i.id === id)).toMatchObject({ overdue: true, status: 'sent' });
      const outgoing = await transfers.list(people.riversideHead, { direction: 'outgoing', pageSize: 200 });
      expect(outgoing.items.find((i) => i.id === id)).toMatchObject({ overdue: true });
      await transfers.receive(lateDsp, id);
      expect((await transfers.counts(lateDsp)).incoming).toEqual({ waiting: 0, overdue: 0 });
    });
  });

  describe('lists', () => {
    it('page with a true total', async () => {
      const before = (await transfers.list(people.riversideDsp, { direction: 'outgoing' })).total;
      for (let i = 0; i < 3; i += 1) await sendTo(people.riversideDsp, await factory.pupil(orgs.riverside), orgs.pru);
      const first = await transfers.list(people.riversideDsp, { direction: 'outgoing', page: 1, pageSize: 2 });
      expect(first.total).toBe(before + 3);
      expect(first.items).toHaveLength(2);
      const all = await transfers.list(people.riversideDsp, { direction: 'outgoing', pageSize: 200 });
      expect(new Set(all.items.map((i) => i.id)).size).toBe(before + 3);
    });
  });

  describe('two DSPs send the same pupil’s file at once (PostgreSQL runs them concurrently)', () => {
    it('sends one and answers the other 422 on status, never a database error', async () => {
      const otherDsp = await factory.actor(orgs.riverside, 'dsp');
      for (let i = 0; i < 5; i += 1) {
        const pupil = await factory.pupil(orgs.riverside);
        const results = await Promise.allSettled([
          sendTo(people.riversideDsp, pupil, orgs.hillcrest),
          sendTo(otherDsp, pupil, orgs.third),
        ]);
        const outcomes = results.map((r) =>
          r.status === 'fulfilled' ? 'sent' : ((r.reason as { code?: string }).code ?? String(r.reason)),
        );
        expect(outcomes.sort()).toEqual(['rule_broken', 'sent']);
        expect(results.find((r) => r.status === 'rejected')).toMatchObject({
          reason: { errors: { status: [expect.any(String)] } },
        });
        const sent = await testApp.dataSource.getRepository(Transfer).count({ where: { pupilId: pupil.id } });
        expect(sent).toBe(1);
      }
    });

    it('two receipts at once: one received, the other 422', async () => {
      const otherDsp = await factory.actor(orgs.hillcrest, 'dsp');
      const pupil = await factory.pupil(orgs.riverside);
      const { id } = await sendTo(people.riversideDsp, pupil, orgs.hillcrest);
      const results = await Promise.allSettled([
        transfers.receive(people.hillcrestDsp, id),
        transfers.receive(otherDsp, id),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'rule_broken' } });
      expect((await enrolmentsOf(pupil)).filter((e) => e.organisationId === orgs.hillcrest.id)).toHaveLength(1);
    });
  });
});
