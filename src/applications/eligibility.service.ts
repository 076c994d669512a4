import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors.js';
import type { EligibilityQuestionDefinition as EligibilityQuestion } from '../forms/form.types.js';
import { isRoundPublic } from '../funds/round-lifecycle.js';
import { RoundsService } from '../funds/rounds.service.js';
import { validationError } from './application-rules.js';

/** Where the eligibility journey goes after an answer. */
export type EligibilityStep = { to: 'not_eligible'; questionId: string } | { to: 'question'; number: number } | { to: 'result' };

/** What the eligibility journey shows of its round. */
export interface EligibilityRound {
  id: string;
  title: string;
}

export interface EligibilityResult {
  eligible: boolean;
  failures: { questionId: string; message: string }[];
}

/** A round's yes/no eligibility questions: checking answers creates nothing. */
@Injectable()
export class EligibilityService {
  constructor(private readonly rounds: RoundsService) {}

  /** A round the public may see (not a draft), with its questions in order. */
  async questionsOf(roundId: string): Promise<{ round: EligibilityRound; questions: EligibilityQuestion[] }> {
    const round = await this.rounds.findRound(roundId);
    if (!round || !isRoundPublic(round.status)) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
    return { round, questions: await this.rounds.getEligibilityQuestions(round.id) };
  }

  /** The question numbered `n` (from 1) of a public round; 404 for anything else. */
  async questionNumbered(roundId: string, n: string): Promise<{ round: EligibilityRound; questions: EligibilityQuestion[]; index: number }> {
    const { round, questions } = await this.questionsOf(roundId);
    const index = Number(n) - 1;
    if (!/^\d{1,3}$/.test(n) || index < 0 || index >= questions.length) throw new DomainError('not_found', 'PAGE.NOT_FOUND', 'Page not found');
    return { round, questions, index };
  }

  /** After answering one question: a failing answer ends the journey, else the next question or the result. */
  nextStep(questions: EligibilityQuestion[], index: number, answer: boolean): EligibilityStep {
    const question = questions[index];
    if (answer !== question.passingAnswer) return { to: 'not_eligible', questionId: question.id };
    if (index + 1 < questions.length) return { to: 'question', number: index + 2 };
    return { to: 'result' };
  }

  /** The journey's outcome from the answers given so far (eligible only when all are given and pass). */
  journeyResult(questions: EligibilityQuestion[], answers: Record<string, boolean>): { eligible: true } | { eligible: false; firstFailure: string | null } {
    const result = evaluate(questions, new Map(Object.entries(answers)));
    return result.eligible ? { eligible: true } : { eligible: false, firstFailure: result.failures[0]?.questionId ?? null };
  }

  async check(roundId: string, answers: { questionId: string; answer: boolean }[]): Promise<EligibilityResult> {
    const { questions } = await this.questionsOf(roundId);
    const given = new Map<string, boolean>();
    const errors = [];
    for (const [i, a] of answers.entries()) {
      if (!questions.some((q) => q.id === a.questionId)) {
        errors.push({ field: `answers.${i}.questionId`, code: 'ELIGIBILITY.UNKNOWN_QUESTION', message: 'This is not a question of this round' });
      } else if (given.has(a.questionId)) {
        errors.push({ field: `answers.${i}.questionId`, code: 'ELIGIBILITY.DUPLICATE_ANSWER', message: 'Answer each question once' });
      }
      given.set(a.questionId, a.answer);
    }
    for (const q of questions) {
      if (!given.has(q.id)) errors.push({ field: `answers`, code: 'ELIGIBILITY.UNANSWERED', message: `Answer the question “${q.question}” (${q.id})` });
    }
    if (errors.length) throw validationError(errors);
    return evaluate(questions, given);
  }
}

/** Which answers fail, and why (pure). */
export function evaluate(questions: Pick<EligibilityQuestion, 'id' | 'passingAnswer' | 'failureMessage'>[], given: Map<string, boolean>): EligibilityResult {
  const failures = questions
    .filter((q) => given.has(q.id) && given.get(q.id) !== q.passingAnswer)
    .map((q) => ({ questionId: q.id, message: q.failureMessage }));
  return { eligible: failures.length === 0 && questions.every((q) => given.has(q.id)), failures };
}
