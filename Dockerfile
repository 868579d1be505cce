# syntax=docker/dockerfile:1
# The project's one image: `kta bridge`, `kta worker`, `kta relay` and every other `kta` command.
# - deps: production dependencies from the lockfile (the Temporal worker's native module for this
#   platform comes with them; a host's node_modules is never copied, see .dockerignore).
# - bundle: the workflow bundle, built once from the agent registry (workers/write-bundle.ts), so
#   workers load it as WORKFLOW_BUNDLE_PATH: no webpack at start and no generated files at run time.
# - runtime: root-owned, read-only code run by the unprivileged `node` user. The entry point is node
#   itself on bin/kta.js (tsx's loader registered in-process, no child process, no npm/npx wrapper),
#   so SIGTERM reaches the process that drains the worker or commits and leaves the consumer group.
# Node 20 is what the tests run on; build with --build-arg NODE_VERSION=22 once they pass there.
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM deps AS bundle
COPY . .
RUN node --import tsx workers/write-bundle.ts /app/workflow-bundle.js \
 && rm -rf /app/.kta

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/workflow-bundle.js \
    METRICS_HOST=0.0.0.0 \
    METRICS_PORT=9464
WORKDIR /app
COPY --from=bundle /app /app
USER node
EXPOSE 9464
ENTRYPOINT ["node", "bin/kta.js"]
CMD ["--help"]
