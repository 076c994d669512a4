import { Module } from '@nestjs/common';
import { ReferenceDataController } from './reference-data.controller.js';
import { ReferenceDataPages } from './reference-data.pages.js';
import { ReferenceDataService } from './reference-data.service.js';

/** Outcomes, priorities and districts: administrators maintain them, everyone reads them. */
@Module({
  controllers: [ReferenceDataController, ReferenceDataPages],
  providers: [ReferenceDataService],
  exports: [ReferenceDataService],
})
export class ReferenceDataModule {}
