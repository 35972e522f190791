import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

/** For the TypeORM CLI (`npm run migration:run`): the same options the app uses, from DATABASE_URL. */
export default new DataSource(dataSourceOptions(loadConfig().database));
