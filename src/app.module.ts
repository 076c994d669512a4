import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from './audit/audit.module.js';
import { AuthCoreModule } from './auth/auth-core.module.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { DEMO_SIGN_INS } from './config/demo-sign-ins.js';
import { dataSourceOptions } from './database/data-source.js';
import { DEMO_USERS } from './demo/demo-data.js';
import { HealthModule } from './health/health.module.js';
import { MailModule } from './mail/mail.module.js';
import { QueueModule } from './queue/queue.module.js';
import { WebModule } from './web/web.module.js';
import { DOMAIN_MODULES } from './domain-modules.js';

@Global()
@Module({})
class ConfigHolderModule {
  static forRoot(config: AppConfig): DynamicModule {
    const demoSignIns = config.nodeEnv === 'production' ? [] : DEMO_USERS;
    return {
      module: ConfigHolderModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DEMO_SIGN_INS, useValue: demoSignIns },
      ],
      exports: [APP_CONFIG, DEMO_SIGN_INS],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigHolderModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl)),
        QueueModule,
        AuditModule,
        MailModule,
        WebModule,
        AuthCoreModule,
        HealthModule,
        ...DOMAIN_MODULES,
      ],
    };
  }
}
