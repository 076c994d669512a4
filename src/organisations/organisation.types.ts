/** Organisation shapes for other modules (the entity file is organisations' own). */
export type { LegalForm } from './organisation.entity.js';
