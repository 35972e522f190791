import { Module } from '@nestjs/common';
import { SchoolModule } from '../school/school.module';
import { HomePagesController } from './home.pages.controller';

@Module({ imports: [SchoolModule], controllers: [HomePagesController] })
export class HomeModule {}
