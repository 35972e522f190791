import { QueryRunner, TableColumn } from 'typeorm';

/**
 * TypeORM adds or drops a column on SQLite by copying the table into a new one and dropping the old,
 * which fails on a populated database when other tables' rows refer to it (organisations and users
 * are referred to by nearly everything; foreign keys are on and cannot be turned off inside the
 * migration's transaction). SQLite's own ALTER TABLE ADD / DROP COLUMN changes the table in place.
 */
export async function addColumns(queryRunner: QueryRunner, table: string, columns: TableColumn[]): Promise<void> {
  if (queryRunner.connection.options.type === 'postgres') return queryRunner.addColumns(table, columns);
  for (const column of columns) {
    const type = column.type === 'boolean' ? 'boolean' : `varchar(${column.length})`;
    const nullability = column.isNullable ? 'NULL' : 'NOT NULL';
    const fallback = column.default === undefined ? '' : ` DEFAULT (${column.default === true ? 1 : 0})`;
    await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "${column.name}" ${type} ${nullability}${fallback}`);
  }
}

export async function dropColumns(queryRunner: QueryRunner, table: string, columns: string[]): Promise<void> {
  if (queryRunner.connection.options.type === 'postgres') return queryRunner.dropColumns(table, columns);
  for (const column of columns) await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
}
