# One image for every Node service of the stack (vote, worker, queue exporter, alert receiver):
# the compose file picks the entry point with `command`. Multi-stage: dependencies and the
# TypeScript build happen in throw-away stages; the runtime stage has production dependencies,
# the compiled JavaScript and nothing else, and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile before the sources are copied.
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM deps AS build
COPY tsconfig.json index.ts ./
COPY config ./config
COPY dashboards ./dashboards
COPY alerts ./alerts
COPY validate ./validate
COPY exporters ./exporters
COPY reference-app ./reference-app
COPY scripts ./scripts
RUN npx tsc -p tsconfig.json

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/build ./build
COPY package.json ./
# Files are root-owned and read-only for the service user; nothing under /app is writable.
USER node
EXPOSE 8080 9102 9121 5001
ENTRYPOINT ["node"]
CMD ["build/reference-app/vote/main.js"]
