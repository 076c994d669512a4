import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { PageQuery } from '../common/pagination.js';
import { AttachmentStorage } from './attachment-storage.js';
import { AttachmentDto, AttachmentListDto, UploadAttachmentBody } from './attachments.dto.js';
import { AttachmentsService } from './attachments.service.js';
import { sendAttachment } from './download.js';
import { receiveUpload } from './incoming-upload.js';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api/v1/applications/:id/attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly storage: AttachmentStorage,
  ) {}

  @Get()
  @Access('user')
  @ApiOperation({ summary: "An application's files (its organisation's members, grants officers and auditors)" })
  @ApiOkResponse({ type: AttachmentListDto })
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query() query: PageQuery): Promise<AttachmentListDto> {
    const page = await this.attachments.list(user, id, query);
    return { ...page, items: page.items.map(AttachmentDto.of) };
  }

  @Post()
  @Access('user')
  @ApiOperation({
    summary: 'Upload a file (members of the applying organisation, while the application is a draft)',
    description:
      'multipart/form-data with `kind` and `file`. The type is judged by content: PDF, Word, Excel, JPEG, PNG. ' +
      'Errors: 413 ATTACHMENT.TOO_LARGE, 415 ATTACHMENT.TYPE_NOT_ALLOWED, 422 ATTACHMENT.EMPTY / FILE_REQUIRED / BAD_FILE_NAME / ' +
      'UNKNOWN_KIND / TOO_MANY, 409 ATTACHMENT.NOT_EDITABLE, 404 APPLICATION.NOT_FOUND.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentBody })
  @ApiCreatedResponse({ type: AttachmentDto })
  async upload(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest): Promise<AttachmentDto> {
    return AttachmentDto.of(await this.attachments.upload(user, actor, id, () => receiveUpload(request, this.storage)));
  }

  @Get(':attachmentId')
  @Access('user')
  @ApiOperation({ summary: "A file's metadata" })
  @ApiOkResponse({ type: AttachmentDto })
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('attachmentId') attachmentId: string): Promise<AttachmentDto> {
    return AttachmentDto.of(await this.attachments.get(user, id, attachmentId));
  }

  @Get(':attachmentId/content')
  @Access('user')
  @ApiOperation({ summary: "A file's bytes, as an attachment with its detected content type" })
  @ApiProduces('application/pdf', 'application/msword', 'application/vnd.ms-excel', 'image/jpeg', 'image/png')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  async content(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendAttachment(reply, await this.attachments.content(user, id, attachmentId));
  }

  @Delete(':attachmentId')
  @Access('user')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a file (members of the applying organisation, while the application is a draft)' })
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Param('attachmentId') attachmentId: string): Promise<void> {
    await this.attachments.remove(user, actor, id, attachmentId);
  }
}
