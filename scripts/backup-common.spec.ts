import { countDifferences, postgresEnvironment } from './backup-common';

describe('backup and restore helpers', () => {
  it('hands pg_dump and pg_restore the connection in PG* variables, decoded, so no password is in their arguments', () => {
    expect(
      postgresEnvironment({
        kind: 'postgres',
        url: 'postgres://sg%20app:p%40ss%3Aword@db.internal:6432/safeguarding?sslmode=verify-full&sslrootcert=/etc/ca.pem',
        database: 'safeguarding',
      }),
    ).toEqual({
      PGDATABASE: 'safeguarding',
      PGHOST: 'db.internal',
      PGPORT: '6432',
      PGUSER: 'sg app',
      PGPASSWORD: 'p@ss:word',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/etc/ca.pem',
    });
  });

  it('leaves out what the URL does not say (libpq defaults apply), and reads a bracketed IPv6 host', () => {
    expect(postgresEnvironment({ kind: 'postgres', url: 'postgres://[::1]/sg', database: 'sg' })).toEqual({
      PGDATABASE: 'sg',
      PGHOST: '::1',
    });
  });

  it('names every table whose rows differ, including one present on one side only', () => {
    expect(countDifferences({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 0 })).toEqual([
      'b: 2 in the backup, 5 restored',
      'c: 3 in the backup, absent restored',
      'd: absent in the backup, 0 restored',
    ]);
    expect(countDifferences({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
