import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ApplicationFiles, ApplicationFileView } from '../applications/application-files.types.js';
import { Attachment } from './attachment.entity.js';

/** The attachments module's side of applications' ApplicationFiles port: a bid's files, in one query. */
@Injectable()
export class AttachmentFiles implements ApplicationFiles {
  constructor(private readonly dataSource: DataSource) {}

  async filesOf(applicationId: string, manager?: EntityManager): Promise<ApplicationFileView[]> {
    const rows = await (manager ?? this.dataSource.manager).find(Attachment, {
      where: { applicationId },
      select: { id: true, kind: true, fileName: true, contentType: true, sizeBytes: true, createdAt: true },
      order: { createdAt: 'ASC' },
    });
    return rows.map(({ id, kind, fileName, contentType, sizeBytes, createdAt }) => ({ id, kind, fileName, contentType, sizeBytes, createdAt }));
  }
}
