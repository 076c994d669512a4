import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRegistry } from './job-registry.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxService } from './outbox.service.js';
import { QueueService } from './queue.service.js';
import { WorkerService } from './worker.service.js';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [JobRegistry, OutboxService, OutboxRelay, QueueService, WorkerService],
  exports: [OutboxService, QueueService, OutboxRelay, WorkerService, JobRegistry],
})
export class QueueModule {}
