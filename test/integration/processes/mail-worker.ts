// A worker process that runs the real mail jobs (SendMailJob, ReclaimMailJob) on a real BullMQ
// worker, against the database, Redis prefix and SMTP server in its environment; a test starts it
// and kills it with SIGKILL. Lighter than the whole application, so it starts quickly under load.
import 'reflect-metadata';
import { Worker, type Job } from 'bullmq';
import { loadConfig } from '../../../src/config/config.js';
import { createDataSource } from '../../../src/database/data-source.js';
import { MailTransport } from '../../../src/mail/mail-transport.js';
import { ReclaimMailJob } from '../../../src/mail/reclaim-mail.job.js';
import { SendMailJob } from '../../../src/mail/send-mail.job.js';
import { QUEUE_NAME, QueueService } from '../../../src/queue/queue.service.js';
import { createRedis } from '../../../src/queue/redis.js';

const config = loadConfig(process.env);
const db = await createDataSource(config.databaseUrl).initialize();
const queues = new QueueService(config);
const send = new SendMailJob(db, new MailTransport(config), queues, config);
const reclaim = new ReclaimMailJob(db, queues, config);
await reclaim.onApplicationBootstrap();
const worker = new Worker(
  QUEUE_NAME,
  async (job: Job) => {
    const context = { jobId: job.id ?? '', attempt: job.attemptsMade + 1, finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) };
    if (job.name === 'mail.send') await send.handle(job.data, context);
    else if (job.name === 'mail.reclaim') await reclaim.handle();
  },
  { connection: createRedis(config.redisUrl), prefix: config.queuePrefix, concurrency: 10 },
);
await worker.waitUntilReady();
process.stdout.write('mail worker ready\n');
