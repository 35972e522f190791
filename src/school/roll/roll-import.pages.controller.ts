import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { pagerFor } from '../../common/pager';
import { pageLanguageOf } from '../../i18n/reader-language';
import { translate } from '../../i18n/i18n.service';
import {
  RollConfirmFormDto,
  RollImportPageQueryDto,
  RollPreviewQueryDto,
  RollUploadFormDto,
} from './dto/roll-import-form.dto';
import { RollUploadRequest } from './roll-body';
import { RollFileError, RollFileFormat } from './roll-file';
import {
  ROLL_MODES,
  RollImportResult,
  RollImportService,
  RollMode,
  RollRowsRejectedError,
} from './roll-import.service';
import { RollUploads, sha256Of } from './roll-uploads';

/** Rows a preview page shows; every row is on some page, with the true total. */
export const ROLL_PREVIEW_PAGE_SIZE = 100;

interface PageError {
  field: string;
  key: string;
  max?: number;
}

/** A CTF starts with `<` (after any byte-order mark and spaces); anything else is read as CSV. */
function formatOf(fileName: string, content: string): RollFileFormat {
  if (/\.(xml|ctf)$/i.test(fileName)) return 'ctf';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return content
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('<')
    ? 'ctf'
    : 'csv';
}

/**
 * `/roll/import` (API.md, Pages): upload a CSV or CTF and choose full or partial; a preview of every
 * row (paged) with the counts and each rejection's reasons; a confirm that applies exactly the file
 * previewed (kept server-side by id, checked by its SHA-256). Works without JavaScript: a multipart
 * form, then plain links and forms.
 */
@Controller('roll/import')
export class RollImportPagesController {
  constructor(
    private readonly rollImports: RollImportService,
    private readonly uploads: RollUploads,
  ) {}

  @Get()
  async form(@CurrentActor() actor: Actor, @Query() query: RollImportPageQueryDto, @Res() response: Response) {
    const done =
      query.added !== undefined
        ? {
            added: Number(query.added),
            updated: Number(query.updated ?? 0),
            unchanged: Number(query.unchanged ?? 0),
            left: Number(query.left ?? 0),
          }
        : null;
    return this.renderForm(response, actor, { mode: 'full', organisationId: '' }, [], 200, done);
  }

  @Post()
  async upload(
    @CurrentActor() actor: Actor,
    @Body() form: RollUploadFormDto,
    @Req() request: RollUploadRequest,
    @Res() response: Response,
  ) {
    const organisations = await this.rollImports.importableOrganisations(actor);
    const state = { mode: form.mode ?? 'full', organisationId: form.organisationId ?? '' };
    const errors: PageError[] = [];
    const organisationId = actor.role === 'admin' ? state.organisationId : actor.organisationId;
    if (actor.role === 'admin' && !organisations.some((organisation) => organisation.id === organisationId))
      errors.push({ field: 'organisationId', key: 'roll.page.errors.organisation' });
    if (!(ROLL_MODES as readonly string[]).includes(state.mode))
      errors.push({ field: 'mode', key: 'roll.page.errors.mode' });
    if (request.rollUploadProblem === 'too_large')
      errors.push({ field: 'file', key: 'roll.page.errors.tooLarge', max: 20 });
    else if (request.rollUploadProblem || !request.file || request.file.size === 0)
      errors.push({ field: 'file', key: 'roll.page.errors.fileMissing' });
    if (errors.length) return this.renderForm(response, actor, state, errors, 400);

    await this.rollImports.assertMayImport(actor, organisationId);
    const file = request.file!;
    const content = file.buffer.toString('utf8');
    const format = formatOf(file.originalname, content);
    const mode = state.mode as RollMode;
    try {
      // Read once here so a file that cannot be imported at all is said at once, on the form.
      await this.rollImports.import(actor, organisationId, { content, format, mode, dryRun: true });
    } catch (error) {
      if (!(error instanceof RollFileError)) throw error;
      const problem = error.problem;
      return this.renderForm(
        response,
        actor,
        state,
        [
          {
            field: 'file',
            key: `roll.page.errors.${problem.code}`,
            ...(problem.code === 'too_many_pupils' ? { max: problem.max } : {}),
          },
        ],
        400,
        null,
        'column' in problem ? problem.column : undefined,
      );
    }
    const kept = await this.uploads.keep(actor, {
      organisationId,
      mode,
      format,
      fileName: file.originalname || 'roll',
      content,
    });
    return response.redirect(303, `/roll/import/${kept.id}`);
  }

  @Get(':id')
  async preview(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: RollPreviewQueryDto,
    @Res() response: Response,
  ) {
    const upload = await this.uploads.find(actor, id);
    const result = await this.rollImports.import(actor, upload.organisationId, {
      content: upload.content,
      format: upload.format,
      mode: upload.mode,
      dryRun: true,
    });
    return this.renderPreview(response, actor, upload, result, query.page ?? 1, [], 200);
  }

  @Post(':id')
  async confirm(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: RollConfirmFormDto,
    @Res() response: Response,
  ) {
    const upload = await this.uploads.find(actor, id);
    const input = { content: upload.content, format: upload.format, mode: upload.mode };
    // The confirm applies the file the preview showed: its hash, carried by the form, must still match.
    if (form.sha256 !== upload.sha256 || sha256Of(upload.content) !== upload.sha256) {
      const result = await this.rollImports.import(actor, upload.organisationId, { ...input, dryRun: true });
      return this.renderPreview(
        response,
        actor,
        upload,
        result,
        1,
        [{ field: 'confirm', key: 'roll.page.errors.changed' }],
        400,
      );
    }
    try {
      const result = await this.rollImports.import(actor, upload.organisationId, { ...input, dryRun: false });
      await this.uploads.forget(upload.id);
      const { added, updated, unchanged, left } = result.summary;
      const params = new URLSearchParams({
        added: String(added),
        updated: String(updated),
        unchanged: String(unchanged),
        left: String(left),
      });
      return response.redirect(303, `/roll/import?${params.toString()}`);
    } catch (error) {
      if (!(error instanceof RollRowsRejectedError)) throw error;
      const result = await this.rollImports.import(actor, upload.organisationId, { ...input, dryRun: true });
      return this.renderPreview(
        response,
        actor,
        upload,
        result,
        1,
        [{ field: 'confirm', key: 'roll.page.errors.rejected' }],
        422,
      );
    }
  }

  private async renderForm(
    response: Response,
    actor: Actor,
    state: { mode: string; organisationId: string },
    errors: PageError[],
    status: number,
    done: { added: number; updated: number; unchanged: number; left: number } | null = null,
    column?: string,
  ) {
    const organisations = await this.rollImports.importableOrganisations(actor);
    const language = pageLanguageOf(response);
    response.status(status).render('school/roll-import', {
      titleText: translate(language, 'roll.page.title'),
      chooseOrganisation: actor.role === 'admin',
      organisations: organisations.map((organisation) => ({
        ...organisation,
        label: language === 'cy' && organisation.nameCy ? organisation.nameCy : organisation.name,
        selected: organisation.id === state.organisationId,
      })),
      full: state.mode !== 'partial',
      errors: errors.map((error) => ({ ...error, column })),
      fieldErrors: Object.fromEntries(errors.map((error) => [error.field, error])),
      column,
      done,
    });
  }

  private async renderPreview(
    response: Response,
    actor: Actor,
    upload: { id: string; organisationId: string; fileName: string; mode: RollMode; sha256: string },
    result: RollImportResult,
    page: number,
    errors: PageError[],
    status: number,
  ) {
    const language = pageLanguageOf(response);
    const organisations = await this.rollImports.importableOrganisations(actor);
    const organisation = organisations.find((candidate) => candidate.id === upload.organisationId);
    const total = result.rows.length;
    const pageSize = ROLL_PREVIEW_PAGE_SIZE;
    const shown = result.rows.slice((page - 1) * pageSize, page * pageSize);
    const pager = pagerFor({ page, pageSize, total }, (n) => `/roll/import/${upload.id}${n > 1 ? `?page=${n}` : ''}`);
    // Rejected rows first on the first page would hide the file's order; instead, list their lines up top,
    // and say at the very top that the file cannot be imported, linking to the first row to correct.
    const rejectedLines = result.rows.filter((row) => row.action === 'rejected').map((row) => row.line);
    const firstRejected = result.rows.findIndex((row) => row.action === 'rejected');
    const rowHref = (index: number) => {
      const onPage = Math.floor(index / pageSize) + 1;
      return `/roll/import/${upload.id}${onPage > 1 ? `?page=${onPage}` : ''}#row-${index + 1}`;
    };
    const summaryErrors = [
      ...errors.map((error) => ({ href: `#${error.field}`, text: translate(language, error.key) })),
      ...(firstRejected >= 0
        ? [
            {
              href: rowHref(firstRejected),
              text: translate(language, 'roll.preview.rejectedSummary', { count: result.summary.rejected }),
            },
          ]
        : []),
    ];
    const left = result.summary.left;
    response.status(status).render('school/roll-preview', {
      titleText: translate(language, 'roll.preview.title'),
      upload,
      // Not `organisationName`: that is the helper which names an organisation in the reader's language.
      importOrganisation: organisation ?? { name: upload.organisationId, nameCy: null },
      leftWarning:
        upload.mode === 'full' && left > 0
          ? translate(language, `roll.preview.leftWarning.${left === 1 ? 'one' : 'other'}`, { count: left })
          : null,
      summaryErrors,
      full: upload.mode === 'full',
      summary: result.summary,
      rejectedLines: rejectedLines.slice(0, 50).join(', ') + (rejectedLines.length > 50 ? ', …' : ''),
      canApply: result.summary.rejected === 0,
      rows: shown.map((row, index) => ({
        ...row,
        anchor: `row-${(page - 1) * pageSize + index + 1}`,
        actionKey: `roll.actions.${row.action}`,
        problemKeys: (row.problems ?? []).map((code) => `roll.problems.${code}`),
        tag: { added: 'green', updated: 'blue', unchanged: 'grey', left: 'orange', rejected: 'red' }[row.action],
      })),
      pager,
      first: pager?.first ?? (total ? 1 : 0),
      last: pager?.last ?? total,
      total,
    });
  }
}
