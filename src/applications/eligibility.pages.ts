import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { DomainError } from '../common/errors.js';
import { pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { EligibilityAnswerDto } from './applications.dto.js';
import { EligibilityService } from './eligibility.service.js';
import { one, type FormBody } from './page-forms.js';
import '../auth/session-data.js';

const journeyKey = (roundId: string) => `eligibility:${roundId}`;

/** The public eligibility journey: one yes/no question a page, answers kept in the session; creates nothing. */
@ApiExcludeController()
@Controller()
export class EligibilityPages {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('rounds/:roundId/eligibility')
  @Access('public')
  async start(@Param('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    return this.pages.render(request, reply, 'pages/eligibility/start.njk', {
      pageTitle: `Check if your group can apply to ${round.title}`,
      round,
      questions,
      backLink: `/rounds/${round.id}`,
    });
  }

  @Get('rounds/:roundId/eligibility/not-eligible')
  @Access('public')
  async notEligible(@Param('roundId') roundId: string, @Query('q') q: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    const question = questions.find((x) => x.id === q);
    if (!question) return reply.redirect(`/rounds/${round.id}/eligibility`, 303);
    return this.pages.render(request, reply, 'pages/eligibility/not-eligible.njk', {
      pageTitle: `Your group cannot apply to ${round.title}`,
      round,
      question,
      backLink: `/rounds/${round.id}/eligibility/${questions.indexOf(question) + 1}`,
    });
  }

  @Get('rounds/:roundId/eligibility/result')
  @Access('public')
  async result(@Param('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    const result = this.eligibility.journeyResult(questions, this.journeyAnswers(request, round.id));
    if (!result.eligible) {
      return reply.redirect(result.firstFailure ? `/rounds/${round.id}/eligibility/not-eligible?q=${result.firstFailure}` : `/rounds/${round.id}/eligibility/1`, 303);
    }
    return this.pages.render(request, reply, 'pages/eligibility/eligible.njk', {
      pageTitle: `Your group can apply to ${round.title}`,
      round,
      backLink: questions.length ? `/rounds/${round.id}/eligibility/${questions.length}` : `/rounds/${round.id}`,
    });
  }

  @Get('rounds/:roundId/eligibility/:n')
  @Access('public')
  async question(@Param('roundId') roundId: string, @Param('n') n: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions, index } = await this.eligibility.questionNumbered(roundId, n);
    const answer = this.journeyAnswers(request, round.id)[questions[index].id];
    return this.renderQuestion(request, reply, round, questions, index, answer === undefined ? '' : answer ? 'yes' : 'no');
  }

  @Post('rounds/:roundId/eligibility/:n')
  @Access('public')
  async answer(@Param('roundId') roundId: string, @Param('n') n: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions, index } = await this.eligibility.questionNumbered(roundId, n);
    const question = questions[index];
    const raw = one(body.answer);
    let answer: boolean;
    try {
      const dto = await pageForm(
        EligibilityAnswerDto,
        { questionId: question.id, answer: raw === 'yes' ? true : raw === 'no' ? false : undefined },
        { messages: { answer: 'Select yes or no' } },
      );
      answer = dto.answer;
    } catch (error) {
      return this.renderQuestion(request, reply, round, questions, index, '', error as DomainError);
    }
    const journeys = { ...(request.session.journeys ?? {}) };
    journeys[journeyKey(round.id)] = { ...(journeys[journeyKey(round.id)] ?? {}), [question.id]: answer };
    request.session.journeys = journeys;
    const next = this.eligibility.nextStep(questions, index, answer);
    if (next.to === 'not_eligible') return reply.redirect(`/rounds/${round.id}/eligibility/not-eligible?q=${next.questionId}`, 303);
    if (next.to === 'question') return reply.redirect(`/rounds/${round.id}/eligibility/${next.number}`, 303);
    return reply.redirect(`/rounds/${round.id}/eligibility/result`, 303);
  }

  private journeyAnswers(request: FastifyRequest, roundId: string): Record<string, boolean> {
    return (request.session?.journeys?.[journeyKey(roundId)] as Record<string, boolean> | undefined) ?? {};
  }

  private renderQuestion(
    request: FastifyRequest,
    reply: FastifyReply,
    round: { id: string; title: string },
    questions: { id: string; question: string; hint: string | null }[],
    index: number,
    value: string,
    error?: DomainError,
  ) {
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'pages/eligibility/question.njk',
      {
        pageTitle: questions[index].question,
        round,
        question: questions[index],
        number: index + 1,
        total: questions.length,
        value,
        ...form,
        backLink: index === 0 ? `/rounds/${round.id}/eligibility` : `/rounds/${round.id}/eligibility/${index}`,
      },
      status,
    );
  }
}
