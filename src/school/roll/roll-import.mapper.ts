import { Language } from '../../common/roles';
import { translate } from '../../i18n/i18n.service';
import { RollImportResult } from './roll-import.service';

/** API.md's answer: each rejected row's reasons in words (`errors`), in the reader's language. */
export interface RollImportResponse {
  dryRun: boolean;
  mode: string;
  summary: RollImportResult['summary'];
  rows: Array<{
    line: number | null;
    upn: string;
    firstName?: string;
    lastName?: string;
    action: string;
    errors?: string[];
  }>;
}

export function toRollImportResponse(result: RollImportResult, language: Language): RollImportResponse {
  return {
    dryRun: result.dryRun,
    mode: result.mode,
    summary: { ...result.summary },
    rows: result.rows.map((row) => ({
      line: row.line,
      upn: row.upn,
      ...(row.firstName !== undefined ? { firstName: row.firstName } : {}),
      ...(row.lastName !== undefined ? { lastName: row.lastName } : {}),
      action: row.action,
      ...(row.problems ? { errors: row.problems.map((code) => translate(language, `roll.problems.${code}`)) } : {}),
    })),
  };
}
