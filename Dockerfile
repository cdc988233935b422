# One image for every Node service of the stack (vote, result, worker, queue exporter, alert receiver):
# the compose file picks the entry point with `command`. The repository is npm workspaces: the
# library (root package voting-mixin) and the two workspace packages, exporters/redis-queue and
# reference-app, which import it by name. Multi-stage: dependencies and the TypeScript build
# happen in throw-away stages; the runtime stage has production dependencies, the compiled
# JavaScript and the package.json files module resolution needs, nothing else, and runs as the
# unprivileged `node` user.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# Every workspace's package.json before `npm ci`: the lockfile covers all three.
COPY package.json package-lock.json ./
COPY exporters/redis-queue/package.json ./exporters/redis-queue/
COPY reference-app/package.json ./reference-app/
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM deps AS build
COPY tsconfig.base.json tsconfig.json index.ts ./
COPY config ./config
COPY dashboards ./dashboards
COPY alerts ./alerts
COPY validate ./validate
COPY runtime ./runtime
COPY instrument ./instrument
COPY scripts/cli.ts ./scripts/
COPY scripts/commands ./scripts/commands
COPY scripts/lib ./scripts/lib
COPY exporters/redis-queue ./exporters/redis-queue
COPY reference-app ./reference-app
# The library first, then the workspaces that import it (tsc -b follows the references).
RUN npx tsc -b tsconfig.json exporters/redis-queue reference-app
# The exporter runs as one bundled file (exporters/redis-queue/build/redis-queue-exporter.js): a
# long-running process keeps ~10 MiB less than with its ~190 modules loaded one by one.
COPY scripts/dev/bundle.mjs ./scripts/dev/
RUN node scripts/dev/bundle.mjs exporter

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY exporters/redis-queue/package.json ./exporters/redis-queue/
COPY reference-app/package.json ./reference-app/
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# node_modules holds the workspace links (voting-mixin -> .., @voting-mixin/* -> the workspaces).
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root exporters/redis-queue/package.json ./exporters/redis-queue/
COPY --chown=root:root reference-app/package.json ./reference-app/
COPY --from=build --chown=root:root /app/build ./build
COPY --from=build --chown=root:root /app/exporters/redis-queue/build ./exporters/redis-queue/build
COPY --from=build --chown=root:root /app/reference-app/build ./reference-app/build
# Files are root-owned and read-only for the service user; nothing under /app is writable.
USER node
EXPOSE 8080 8082 9102 9121 5001
ENTRYPOINT ["node"]
CMD ["reference-app/build/vote/main.js"]
