import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The officer's and panel members' pages (filled in below). */
@ApiExcludeController()
@Controller()
export class PanelsPages {}
