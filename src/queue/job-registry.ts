import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { JOB_HANDLER } from './job-handler.decorator.js';
import { JOB_NAMES, type JobHandler, type JobName } from './jobs.js';

/** Finds the handler of every job at start-up and refuses to start when one is missing or doubled. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as JobHandler<JobName> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, wrapper.metatype as never);
      if (!name) continue;
      if (!JOB_NAMES.includes(name)) throw new Error(`Job handler ${wrapper.name} handles unknown job "${name}"`);
      if (this.handlers.has(name)) throw new Error(`Job "${name}" has two handlers: declare exactly one`);
      if (typeof instance.handle !== 'function') throw new Error(`Job handler ${wrapper.name} has no handle() method`);
      this.handlers.set(name, instance);
    }
    const missing = JOB_NAMES.filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
  }

  handlerFor(name: string): JobHandler<JobName> {
    const handler = this.handlers.get(name as JobName);
    if (!handler) throw new Error(`No handler for job "${name}"`);
    return handler;
  }
}
