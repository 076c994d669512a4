# syntax=docker/dockerfile:1
# Safer Communities Fund grants service: one image for the web process and the queue workers.
#   web:     docker run ... IMAGE                                   (node dist/src/main.js)
#   workers: docker run ... IMAGE node dist/src/main.js --worker

# ---- build: install everything, compile TypeScript and Sass, then drop dev dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compiles src/ and migrations/ to dist/ and the Sass to dist/public/application.css.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code, production dependencies and templates only ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    STORAGE_DIR=/app/var/uploads
WORKDIR /app
# Code stays owned by root (the app cannot rewrite itself); only var/ is writable by `node`.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
RUN mkdir -p /app/var/uploads && chown -R node:node /app/var
USER node
EXPOSE 3000
# The slim image has no curl: ask Node (it has fetch). The worker has no HTTP server, so
# docker-compose.yml turns this check off for it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
