import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ATTACHMENT_KINDS } from './attachment.types.js';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { formErrorsOf, PageRenderer, type FormErrors } from '../web/page-renderer.js';
import { AttachmentStorage } from './attachment-storage.js';
import { ATTACHMENT_KIND_LABELS, formatFileSize, MAX_ATTACHMENTS_PER_APPLICATION } from './attachment-kinds.js';
import { AttachmentsService, type ApplicationForFiles, type AttachmentView } from './attachments.service.js';
import { sendAttachment } from './download.js';
import { receiveUpload, uploadLimitBytes } from './incoming-upload.js';

/** Errors a person can fix on the page itself (shown in the error summary); others get the error page. */
const SHOWN_ON_PAGE = new Set<DomainError['kind']>(['validation', 'payload_too_large', 'unsupported_media_type', 'conflict', 'bad_request']);

const base = (applicationId: string) => `/applications/${applicationId}/attachments`;

/** The attachments step of a bid: list, upload (one file per submit), download and remove. */
@ApiExcludeController()
@Controller('applications/:id/attachments')
export class AttachmentPages {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly storage: AttachmentStorage,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access('user')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderList(request, reply, user, id);
  }

  @Post()
  @Access('user')
  async upload(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    let kind: string | null = null;
    try {
      const saved = await this.attachments.upload(user, actor, id, async () => {
        const upload = await receiveUpload(request, this.storage);
        kind = upload.kind;
        return upload;
      });
      this.pages.flash(request, `${saved.fileName} has been uploaded.`, 'File uploaded');
      return reply.redirect(base(id), 303);
    } catch (error) {
      if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.kind)) throw error;
      return this.renderList(request, reply, user, id, { errors: formErrorsOf(error), values: { kind } }, error.status);
    }
  }

  @Get(':attachmentId')
  @Access('user')
  async download(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendAttachment(reply, await this.attachments.content(user, id, attachmentId));
  }

  @Get(':attachmentId/remove')
  @Access('user')
  async confirmRemove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const application = await this.attachments.applicationFor(user, id);
    const attachment = await this.attachments.get(user, id, attachmentId);
    try {
      this.attachments.assertEditable(application, attachment.kind);
    } catch (error) {
      if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.kind)) throw error;
      return this.renderList(request, reply, user, id, { errors: formErrorsOf(error) }, error.status);
    }
    return this.pages.render(request, reply, 'pages/applications/attachments-remove.njk', {
      pageTitle: `Are you sure you want to remove ${attachment.fileName}?`,
      backLink: base(id),
      application: this.applicationView(application),
      attachment: this.attachmentView(attachment),
    });
  }

  @Post(':attachmentId/remove')
  @Access('user')
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const attachment = await this.attachments.get(user, id, attachmentId);
    try {
      await this.attachments.remove(user, actor, id, attachmentId);
    } catch (error) {
      if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.kind)) throw error;
      return this.renderList(request, reply, user, id, { errors: formErrorsOf(error) }, error.status);
    }
    this.pages.flash(request, `${attachment.fileName} has been removed.`, 'File removed');
    return reply.redirect(base(id), 303);
  }

  private async renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    user: AuthenticatedUser,
    id: string,
    form: { errors?: FormErrors; values?: Record<string, unknown> } = {},
    status = 200,
  ) {
    const application = await this.attachments.applicationFor(user, id);
    const { items, total } = await this.attachments.list(user, id, { page: 1, pageSize: MAX_ATTACHMENTS_PER_APPLICATION * 5 });
    const values = form.values ?? {};
    return this.pages.render(
      request,
      reply,
      'pages/applications/attachments.njk',
      {
        pageTitle: 'Upload documents',
        backLink: application.isMember ? `/applications/${id}` : `/staff/applications/${id}`,
        application: this.applicationView(application),
        // While more information is asked for, only the reopened kinds can be removed or uploaded.
        attachments: items.map((a) => ({ ...this.attachmentView(a), removable: this.attachments.mayChangeKind(application, a.kind) })),
        canUpload: application.canEdit && total < MAX_ATTACHMENTS_PER_APPLICATION,
        full: total >= MAX_ATTACHMENTS_PER_APPLICATION,
        maxFiles: MAX_ATTACHMENTS_PER_APPLICATION,
        limitMb: Math.round(uploadLimitBytes() / (1024 * 1024)),
        kindItems: ATTACHMENT_KINDS.filter((kind) => this.attachments.mayChangeKind(application, kind)).map((kind) => ({ value: kind, text: ATTACHMENT_KIND_LABELS[kind], checked: values.kind === kind })),
        errorList: form.errors?.errorList ?? [],
        errors: form.errors?.errors ?? {},
      },
      status,
    );
  }

  private applicationView(application: ApplicationForFiles) {
    return {
      ...application,
      caption: application.projectTitle || application.reference || application.organisationName,
      statusText: application.status.replace(/_/g, ' '),
      url: base(application.id),
    };
  }

  private attachmentView(attachment: AttachmentView) {
    return {
      ...attachment,
      kindLabel: ATTACHMENT_KIND_LABELS[attachment.kind] ?? attachment.kind,
      sizeText: formatFileSize(attachment.sizeBytes),
      downloadUrl: `${base(attachment.applicationId)}/${attachment.id}`,
      removeUrl: `${base(attachment.applicationId)}/${attachment.id}/remove`,
    };
  }
}
