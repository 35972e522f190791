import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

/** For the TypeORM CLI (`npm run migration:run`): the app's connection and migrations (which need no entities). */
export default new DataSource(dataSourceOptions(loadConfig().database));
