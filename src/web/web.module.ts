import { Global, Module } from '@nestjs/common';
import { InfoPages } from './info.pages.js';
import { PageRenderer } from './page-renderer.js';

@Global()
@Module({ controllers: [InfoPages], providers: [PageRenderer], exports: [PageRenderer] })
export class WebModule {}
