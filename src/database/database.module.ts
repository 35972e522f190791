import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { applyMigrations } from './migrate';
import { UnitOfWork } from './unit-of-work';

/**
 * The connection, its migrations and `UnitOfWork`, for every module (global: a platform service). Each
 * module registers the entities it owns with `TypeOrmModule.forFeature`; `autoLoadEntities` gathers them.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.database), autoLoadEntities: true }),
      // Migrations are applied before anything else touches the database.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await applyMigrations(dataSource);
        // SQLite in WAL mode: a commit is durable once the WAL is synced at the next checkpoint, not
        // fsynced on every commit. A crash of the app loses nothing committed; a power cut may lose the
        // last commits, each whole (a change with its audit entry, never one without the other).
        if (options!.type === 'sqlite' && options.enableWAL) await dataSource.query('PRAGMA synchronous = NORMAL');
        return dataSource;
      },
    }),
  ],
  providers: [UnitOfWork],
  exports: [UnitOfWork],
})
export class DatabaseModule {}
