import { LEGAL_FORMS, type LegalForm } from './organisation.entity.js';
import { requiresCharityNumber, requiresCompanyNumber } from './org-identifiers.js';

/** How each legal form is named to people (radios, check-your-answers, staff views). */
export const LEGAL_FORM_LABELS: Record<LegalForm, string> = {
  charitable_incorporated_organisation: 'Charitable incorporated organisation (CIO)',
  registered_charity_unincorporated: 'Registered charity (unincorporated, such as a charitable trust or association)',
  charitable_company: 'Charitable company (a company that is also a registered charity)',
  company_limited_by_guarantee: 'Company limited by guarantee (not a registered charity)',
  community_interest_company: 'Community interest company (CIC)',
  community_benefit_society: 'Community benefit society',
  unincorporated_association: 'Unincorporated association or community group',
  statutory_body: 'Statutory body, such as a school, parish council or NHS body',
  other: 'Other',
};

export const isLegalForm = (value: unknown): value is LegalForm =>
  typeof value === 'string' && (LEGAL_FORMS as readonly string[]).includes(value);

/** For pages: each legal form with its label and which numbers it must give. */
export const legalFormOptions = () =>
  LEGAL_FORMS.map((value) => ({
    value,
    text: LEGAL_FORM_LABELS[value],
    charityRequired: requiresCharityNumber(value),
    companyRequired: requiresCompanyNumber(value),
  }));
