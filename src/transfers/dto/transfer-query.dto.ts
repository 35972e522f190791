import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PagingQueryDto } from '../../common/paging';

export const TRANSFER_DIRECTIONS = ['incoming', 'outgoing'] as const;
export type TransferDirection = (typeof TRANSFER_DIRECTIONS)[number];

export class TransferListQueryDto extends PagingQueryDto {
  @ApiProperty({ enum: TRANSFER_DIRECTIONS })
  @IsIn(TRANSFER_DIRECTIONS)
  direction: TransferDirection;
}
