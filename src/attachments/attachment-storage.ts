import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** A file received into the temporary area, with what we learnt while writing it. */
export interface ReceivedFile {
  tempPath: string;
  sizeBytes: number;
  sha256: string;
}

const STORAGE_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Uploaded files on disk, under `config.storageDir` (outside the web root: no static route serves
 * it). Files arrive in `tmp/` and move to `attachments/<uuid>` only once every check has passed
 * and the row is being written; names people give files are never used on disk.
 */
@Injectable()
export class AttachmentStorage {
  private readonly logger = new Logger(AttachmentStorage.name);
  readonly root: string;
  readonly filesDir: string;
  readonly tmpDir: string;
  private ready: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.storageDir);
    this.filesDir = join(this.root, 'attachments');
    this.tmpDir = join(this.root, 'tmp');
  }

  private ensureDirectories(): Promise<void> {
    this.ready ??= Promise.all([
      mkdir(this.filesDir, { recursive: true, mode: 0o700 }),
      mkdir(this.tmpDir, { recursive: true, mode: 0o700 }),
    ]).then(
      () => undefined,
      (error: unknown) => {
        this.ready = null;
        throw error;
      },
    );
    return this.ready;
  }

  /**
   * Streams `source` into a new temporary file, hashing (SHA-256) and counting as it goes.
   * On any failure the temporary file is removed and the error rethrown.
   */
  async receive(source: Readable): Promise<ReceivedFile> {
    await this.ensureDirectories();
    const tempPath = join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, measure, createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await this.remove(tempPath);
      throw error;
    }
    return { tempPath, sizeBytes, sha256: hash.digest('hex') };
  }

  /** Where the file with this storage key lives (keys are uuids we generated; anything else is refused). */
  pathOf(storageKey: string): string {
    if (!STORAGE_KEY.test(storageKey)) throw new Error(`Not a storage key: ${JSON.stringify(storageKey)}`);
    return join(this.filesDir, storageKey);
  }

  /** Moves a received file into place under its storage key; returns the final path. */
  async commit(tempPath: string, storageKey: string): Promise<string> {
    const target = this.pathOf(storageKey);
    await rename(tempPath, target);
    return target;
  }

  /** Opens a stored file for reading, or null when it is not on disk. */
  async open(storageKey: string): Promise<ReadStream | null> {
    const path = this.pathOf(storageKey);
    try {
      await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return createReadStream(path);
  }

  /** Removes a file if it exists; a failure is logged (an orphan file is harmless, a lost row is not). */
  async remove(path: string): Promise<void> {
    try {
      await rm(path, { force: true });
    } catch (error) {
      this.logger.error({ err: error, path }, 'Could not remove an attachment file');
    }
  }
}
