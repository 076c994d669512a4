import type { EntityManager } from 'typeorm';

/** A file of a bid as the bid's own views list it (check answers, the dashboard, submission checks). */
export interface ApplicationFileView {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  createdAt: Date;
}

/**
 * The port through which applications reads a bid's files: the attachments module owns the files
 * and provides this (attachments depends on applications, so applications names only the port).
 */
export interface ApplicationFiles {
  /** The bid's files, oldest first. */
  filesOf(applicationId: string, manager?: EntityManager): Promise<ApplicationFileView[]>;
}

/** The injection token of the ApplicationFiles port. */
export const APPLICATION_FILES = Symbol('ApplicationFiles');
