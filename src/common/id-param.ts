import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/**
 * The `:id` of a route. Ids are UUIDs made by the app, so anything else is a 400 naming `id` (a page
 * answers with its "not right" error page) before any query runs; a well-formed unknown id is a 404.
 * Use as `@Param() { id }: IdParam`: the global ValidationPipe checks it.
 */
export class IdParam {
  @ApiProperty({ format: 'uuid', description: 'The record id (a UUID)' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}
