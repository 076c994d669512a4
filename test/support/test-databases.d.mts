import type pg from 'pg';

export const TEST_DATABASE_PREFIX: string;
export const TEMPLATE_PREFIX: string;
export function migrationsHash(dir?: string): string;
export function templateName(hash?: string): string;
export function databaseUrlFor(url: string, name: string): string;
export function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T>;
export function withTemplateLock<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T>;
export function databaseExists(client: pg.Client, name: string): Promise<boolean>;
export function ensureTemplate(url: string, migrate: (url: string) => Promise<unknown>, hash?: string): Promise<string>;
export function createTestDatabase(url: string, name: string, migrate: (url: string) => Promise<unknown>, hash?: string): Promise<string>;
export function processAlive(pid: number): boolean;
export function ownerPid(name: string): number | null;
export function dropStaleTestDatabases(url: string, options?: { processAlive?: (pid: number) => boolean; hash?: string }): Promise<string[]>;
