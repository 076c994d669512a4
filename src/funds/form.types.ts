/** The application form's shape, for other modules (the entity file is funds' own). */
export type { FormDefinition, FormQuestion, FormSection, QuestionType } from './round-form.entity.js';
