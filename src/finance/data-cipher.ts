import { Inject, Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

const VERSION = 'v1';

/**
 * Seals personal financial data at rest with AES-256-GCM (node:crypto): a fresh 12-byte IV per
 * value, the 16-byte tag, and the row's own id as additional data, so a sealed value copied to
 * another row does not open. Stored as `v1.<iv>.<tag>.<ciphertext>` in base64. The key is DATA_KEY;
 * outside production, without one, a fixed development key is derived (and a warning logged once).
 */
@Injectable()
export class DataCipher {
  private readonly logger = new Logger(DataCipher.name);
  private key: Buffer | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyOf(), iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  open(sealed: string, boundTo: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('DataCipher: not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.keyOf(), Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  private keyOf(): Buffer {
    if (this.key) return this.key;
    if (this.config.dataKey) return (this.key = this.config.dataKey);
    if (this.config.nodeEnv === 'production') throw new Error('DATA_KEY is not set: bank details cannot be sealed or opened in production without it');
    this.logger.warn('DATA_KEY is not set: bank details are sealed with a fixed development key. Set DATA_KEY (32 bytes, base64 or hex) for any real data.');
    return (this.key = createHash('sha256').update('scf development data key: not for real data').digest());
  }
}
