import { SetMetadata } from '@nestjs/common';
import type { JobName } from './jobs.js';

export const JOB_HANDLER = 'scf:job-handler';

/** Marks a provider as the one handler of a job. The class must implement JobHandler<N>. */
export const HandlesJob = (name: JobName) => SetMetadata(JOB_HANDLER, name);
