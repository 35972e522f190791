import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PagingQueryDto } from '../../common/paging';

/** `GET /api/notifications?unread=true&page=&pageSize=`. */
export class ListNotificationsDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only those not yet read.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

/** `GET /notifications`: the API's filters, plus the language switch every page accepts. */
export class NotificationsPageQueryDto extends ListNotificationsDto {
  @IsOptional()
  @IsString()
  @MaxLength(5)
  lang?: string;
}
