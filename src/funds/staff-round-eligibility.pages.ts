import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { actorOf } from '../auth/request-context.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { formText, validateInput } from '../reference-data/input.js';
import { PageRenderer } from '../web/page-renderer.js';
import { PutEligibilityQuestionsDto } from './funds.dto.js';
import { pageErrors } from './page-helpers.js';
import { isRoundEditable } from './round-lifecycle.js';
import { RoundReader } from './round-reader.service.js';
import { RoundSetupService } from './round-setup.service.js';
import { STAFF_VIEWER } from './viewer.js';

type Form = Record<string, unknown>;
/** Empty rows offered on the eligibility page for new questions. */
const SPARE_QUESTIONS = 3;

/** A draft round's yes/no eligibility questions, edited as rows of one form. */
@ApiExcludeController()
@Controller('staff/rounds')
export class StaffRoundEligibilityPages {
  constructor(
    private readonly reader: RoundReader,
    private readonly setup: RoundSetupService,
    private readonly pages: PageRenderer,
  ) {}


  @Get(':id/eligibility')
  @Access('grants_officer')
  async editEligibility(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    if (!isRoundEditable(round.status)) return reply.redirect(`/staff/rounds/${id}`, 303);
    const questions = await this.reader.eligibilityQuestions(id, STAFF_VIEWER);
    const rows = questions.map((q) => ({ question: q.question, hint: q.hint ?? '', passingAnswer: q.passingAnswer ? 'yes' : 'no', failureMessage: q.failureMessage }));
    return this.eligibilityForm(request, reply, round, rows);
  }

  @Post(':id/eligibility')
  @Access('grants_officer')
  async saveEligibility(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    const count = Math.min(Number(formText(body, 'count')) || 0, 30 + SPARE_QUESTIONS);
    const rows = Array.from({ length: count }, (_, i) => ({
      question: formText(body, `question-${i}`),
      hint: formText(body, `hint-${i}`),
      passingAnswer: formText(body, `passingAnswer-${i}`),
      failureMessage: formText(body, `failureMessage-${i}`),
    }));
    // Rows left empty are not questions; remember where each kept row sits on the page.
    const kept = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.question || r.hint || r.failureMessage);
    try {
      // The page's own check (a yes/no chosen) and the DTO's, reported together in row order.
      const problems: FieldError[] = [];
      kept.forEach(({ r }, n) => {
        if (r.passingAnswer !== 'yes' && r.passingAnswer !== 'no') {
          problems.push({ field: `questions.${n}.passingAnswer`, code: 'FIELD.REQUIRED', message: 'choose the answer that passes' });
        }
      });
      const input = { questions: kept.map(({ r }) => ({ question: r.question, hint: r.hint || null, passingAnswer: r.passingAnswer === 'yes', failureMessage: r.failureMessage })) };
      const dto = await validateInput(PutEligibilityQuestionsDto, input).catch((error: unknown) => {
        if (!(error instanceof DomainError) || error.kind !== 'validation') throw error;
        problems.push(...error.errors);
        return null;
      });
      if (!dto || problems.length) throw validationFailed(inRowOrder(problems));
      await this.setup.replaceEligibilityQuestions(actorOf(request), id, dto.questions);
      this.pages.flash(request, 'Eligibility questions saved');
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      // questions.2.failureMessage -> failureMessage-<row on the page>
      const rename: Record<string, string> = {};
      kept.forEach(({ i }, n) => {
        for (const f of ['question', 'hint', 'passingAnswer', 'failureMessage']) rename[`questions.${n}.${f}`] = `${f}-${i}`;
      });
      if (error instanceof DomainError) {
        error.errors.forEach((e) => {
          const m = /^questions\.(\d+)\./.exec(e.field);
          if (m && kept[Number(m[1])]) e.message = `Question ${kept[Number(m[1])].i + 1}: ${e.message}`;
        });
      }
      return this.eligibilityForm(request, reply, round, rows, pageErrors(error, rename));
    }
  }

  private eligibilityForm(
    request: FastifyRequest,
    reply: FastifyReply,
    round: { id: string; code: string; title: string },
    rows: { question: string; hint: string; passingAnswer: string; failureMessage: string }[],
    errors?: ReturnType<typeof pageErrors>,
  ) {
    const filled = rows.filter((r) => r.question || r.hint || r.failureMessage || errors);
    const all = [...filled, ...Array.from({ length: SPARE_QUESTIONS }, () => ({ question: '', hint: '', passingAnswer: '', failureMessage: '' }))].slice(0, 30 + SPARE_QUESTIONS);
    return this.pages.render(
      request,
      reply,
      'pages/staff/rounds/eligibility.njk',
      { pageTitle: 'Eligibility questions', round, rows: all, backLink: `/staff/rounds/${round.id}`, ...(errors ?? {}) },
      errors?.status ?? 200,
    );
  }
}

const ROW_FIELDS = ['question', 'hint', 'passingAnswer', 'failureMessage'];

/** Errors top to bottom: anything about the list first, then row by row, each row in its field order. */
function inRowOrder(errors: FieldError[]): FieldError[] {
  const key = (e: FieldError) => {
    const m = /^questions\.(\d+)\.(\w+)/.exec(e.field);
    return m ? [Number(m[1]) + 1, ROW_FIELDS.indexOf(m[2]) === -1 ? ROW_FIELDS.length : ROW_FIELDS.indexOf(m[2])] : [0, 0];
  };
  return errors
    .map((e, i) => ({ e, i, k: key(e) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map(({ e }) => e);
}
