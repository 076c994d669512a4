import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';

/**
 * Counts route handlers that are running, so shutdown can wait for them: closing the HTTP server
 * alone does not, when a client has hung up but its handler is still working.
 */
@Injectable()
export class InFlightRequests implements NestInterceptor {
  private running = 0;
  private waiters: (() => void)[] = [];

  get count(): number {
    return this.running;
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.running++;
    return next.handle().pipe(
      finalize(() => {
        this.running--;
        if (this.running === 0) this.waiters.splice(0).forEach((wake) => wake());
      }),
    );
  }

  /** Resolves when no handler is running, or after `timeoutMs`. */
  async drained(timeoutMs = 10000): Promise<void> {
    if (this.running === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }
}
