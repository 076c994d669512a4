import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator.js';
import { QueueService } from '../queue/queue.service.js';
import { LiveResponse, ReadyResponse } from './health.dto.js';

type Check = { status: 'up' | 'down'; detail?: string };

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueService,
  ) {}

  /** The process is up. */
  @Get('live')
  @Access('public')
  @ApiOkResponse({ type: LiveResponse })
  live() {
    return { status: 'ok' };
  }

  /** Database, Redis and migrations are ready: 200, else 503 with which is not. */
  @Get('ready')
  @Access('public')
  @ApiOkResponse({ type: ReadyResponse, description: 'Everything is ready' })
  @ApiServiceUnavailableResponse({ type: ReadyResponse, description: 'Something is not ready: the checks say which' })
  async ready(@Res() reply: FastifyReply) {
    const checks: Record<string, Check> = {
      database: await this.check(async () => {
        await this.dataSource.query('SELECT 1');
      }),
      redis: await this.check(async () => {
        const pong = await Promise.race([
          this.queues.connection.ping(),
          new Promise<string>((_, reject) => setTimeout(() => reject(new Error('timed out')), 1000)),
        ]);
        if (pong !== 'PONG') throw new Error(`unexpected reply ${pong}`);
      }),
      migrations: await this.check(async () => {
        if (await this.dataSource.showMigrations()) throw new Error('pending migrations');
      }),
    };
    const ok = Object.values(checks).every((c) => c.status === 'up');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  }

  private async check(fn: () => Promise<void>): Promise<Check> {
    try {
      await fn();
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', detail: error instanceof Error ? error.message : String(error) };
    }
  }
}
