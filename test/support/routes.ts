import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ACCESS, type AccessRule } from '../../src/auth/access.decorator.js';

export interface RouteInfo {
  controller: string;
  handler: string;
  method: string;
  path: string;
  rules: AccessRule[] | undefined;
}

const join = (...parts: string[]) => '/' + parts.map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/');

/** Every route the Nest application serves, with its access declaration. */
export function listRoutes(app: NestFastifyApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = (Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined) ?? '';
    const bases = Array.isArray(base) ? base : [base];
    const proto = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const rules = reflector.getAllAndOverride<AccessRule[] | undefined>(ACCESS, [handler, metatype]);
      for (const b of bases) for (const p of Array.isArray(path) ? path : [path]) {
        routes.push({ controller: metatype.name, handler: name, method, path: join(b, p), rules });
      }
    }
  }
  return routes;
}

/** A path with every :param filled with a well-formed id nobody has. */
export const concretePath = (path: string) => path.replace(/:[A-Za-z0-9_]+/g, '00000000-0000-4000-8000-000000000000');
