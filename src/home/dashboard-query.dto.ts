import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';
import { DASHBOARD_SECTIONS, DashboardSection } from './dashboard.service';

/** The dashboard: `?section=queue&page=2` pages one DSP section (or `referrals`); the others show their first page. */
export class DashboardQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(DASHBOARD_SECTIONS)
  section?: DashboardSection;

  @IsOptional()
  @Matches(/^[1-9][0-9]{0,4}$/, { message: 'page must be a whole number from 1' })
  page?: string;
}
