import { Module } from '@nestjs/common';
import { PeopleReader } from './people-reader.js';

/** People's names and addresses for other modules (organisations imports this; AccountsModule imports organisations). */
@Module({ providers: [PeopleReader], exports: [PeopleReader] })
export class PeopleModule {}
