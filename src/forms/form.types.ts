/**
 * The application form as data: sections of typed questions, and a round's yes/no eligibility
 * questions. Shared by funds (which stores forms) and applications (which answers them); the form
 * builder, scoring sheets and returns build on the same shapes.
 */

export const QUESTION_TYPES = ['text', 'number', 'money', 'date', 'choice', 'yes_no', 'file'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface FormQuestion {
  /** Stable key within the form, e.g. "need". */
  key: string;
  type: QuestionType;
  label: string;
  hint?: string;
  required: boolean;
  /** text: most words allowed. */
  wordLimit?: number;
  /** choice: the options. */
  options?: string[];
  /** number / money (pence): bounds. */
  min?: number;
  max?: number;
}

export interface FormSection {
  key: string;
  title: string;
  description?: string;
  questions: FormQuestion[];
}

export interface FormDefinition {
  sections: FormSection[];
}

/** A version of a round's form as other modules read it (applications keep the version they started on). */
export interface FormVersion {
  id: string;
  roundId: string;
  version: number;
  definition: FormDefinition;
  frozenAt: Date | null;
  createdAt: Date;
}

/** A yes/no eligibility question of a round, with the answer that passes and why a failure fails. */
export interface EligibilityQuestionDefinition {
  id: string;
  roundId: string;
  position: number;
  question: string;
  hint: string | null;
  /** The answer that passes: true for "Yes", false for "No". */
  passingAnswer: boolean;
  /** Shown when the other answer is given, explaining why the group cannot apply. */
  failureMessage: string;
}
