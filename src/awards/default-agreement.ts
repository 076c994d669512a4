/**
 * The grant agreement terms a fund starts with until a grants officer publishes its own: the
 * usual conditions of a small UK community grant, in plain words. Kept as data (version 1 of the
 * fund's agreement_terms), so what an organisation accepted can always be read again.
 */
export const DEFAULT_AGREEMENT_TEXT = `1. Use of the grant
You will use the grant only for the project and the costs described in your application, as approved by the panel, and within the project's dates. You must ask us in writing before changing what the money is spent on.

2. Reporting
You will tell us how the project is going when we ask, including monitoring returns on the dates we give you: what was spent against the approved budget, what the project achieved and how many people took part. Keep receipts and records of spending for six years and show them to us if we ask.

3. Publicity
You will acknowledge the funding in publicity about the project, using the wording and logo we provide, and let us use the project's name, summary and the amount awarded in our own publications and open data.

4. Repayment of unspent or misused money
You will return any part of the grant that is not spent on the project by its end date. We may ask you to repay some or all of the grant if it is used for anything other than the approved project, if you give us false or misleading information, if you do not keep to these terms, or if the organisation closes.

5. Safeguarding
You will keep and follow an up-to-date safeguarding policy suitable for the people the project works with, make sure staff and volunteers have the checks the law requires, and tell us promptly about any serious safeguarding incident connected with the project.

6. Data protection
You will handle personal information about the people the project works with lawfully, in line with UK data protection law (the UK GDPR and the Data Protection Act 2018), and share it with us only where it is needed and permitted.

7. Equality
You will not discriminate unlawfully against anyone in delivering the project, and will make the project accessible to the people it is meant for.

8. Ending the agreement
We may stop or suspend payments if these terms are broken. These terms, the offer letter and its conditions are the whole agreement between us for this grant.`;
