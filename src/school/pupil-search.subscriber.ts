import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntitySubscriberInterface, InsertEvent, UpdateEvent } from 'typeorm';
import { Pupil } from './pupil.entity';
import { pupilSearchFields } from './pupil-search';

/**
 * Keeps a pupil's search columns (pupil-search.ts) with its names on every insert or update made
 * through TypeORM (`insert`, `save`, the query builder's insert), whoever writes: the demo seed, tests'
 * factory, an admin path. A bulk load in raw SQL calls `rebuildPupilSearch` instead.
 */
@Injectable()
export class PupilSearchSubscriber implements EntitySubscriberInterface<Pupil> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    if (!dataSource.subscribers.includes(this)) dataSource.subscribers.push(this);
  }

  listenTo() {
    return Pupil;
  }

  beforeInsert(event: InsertEvent<Pupil>): void {
    const pupil = event.entity as Partial<Pupil> | undefined;
    if (pupil?.firstName !== undefined && pupil.lastName !== undefined)
      Object.assign(
        pupil,
        pupilSearchFields({ firstName: pupil.firstName, lastName: pupil.lastName, preferredName: pupil.preferredName }),
      );
  }

  beforeUpdate(event: UpdateEvent<Pupil>): void {
    const pupil = event.entity as Partial<Pupil> | undefined;
    if (!pupil) return;
    const before = event.databaseEntity as Pupil | undefined;
    const firstName = pupil.firstName ?? before?.firstName;
    const lastName = pupil.lastName ?? before?.lastName;
    const touchesNames =
      pupil.firstName !== undefined || pupil.lastName !== undefined || pupil.preferredName !== undefined;
    if (!touchesNames || firstName === undefined || lastName === undefined) return;
    const preferredName = pupil.preferredName !== undefined ? pupil.preferredName : (before?.preferredName ?? null);
    Object.assign(pupil, pupilSearchFields({ firstName, lastName, preferredName }));
  }
}
