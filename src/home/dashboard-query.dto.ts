import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';
import { WORKLIST_SECTIONS, WorklistSection } from '../dsp/dsp-worklist';

/** The dashboard: `?section=queue&page=2` pages one DSP section; the others show their first page. */
export class DashboardQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(WORKLIST_SECTIONS)
  section?: WorklistSection;

  @IsOptional()
  @Matches(/^[1-9][0-9]{0,4}$/, { message: 'page must be a whole number from 1' })
  page?: string;
}
