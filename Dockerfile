# Doorman on Node.js from the standalone build (docs/decisions/0030). Behind a
# TLS proxy; see the README's "Deploying" section for the variables to set.
#
#   docker build -t doorman .
#   docker run -p 127.0.0.1:3000:3000 --env-file doorman.env doorman
#
# The build stage keeps the whole checkout and its dev dependencies: it runs
# the CLI (npm run db:migrate, npm run user, npm run keys), e.g.
#   docker build --target build -t doorman-tools .
#   docker run --rm --env-file doorman.env doorman-tools npm run db:migrate

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# No secret is needed to build: lib/env.ts reads them at run time.
RUN npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
ENV PORT=3000
# Docker sets HOSTNAME to the container's id: listen on every interface of the container instead.
ENV HOSTNAME=0.0.0.0
# The middleware refreshes through the app's own port, never through the proxy.
ENV INTERNAL_URL=http://127.0.0.1:3000
# The embedded database, used when DATABASE_URL is not set: mount a volume here.
ENV DATA_DIR=/data
RUN mkdir /data && chown node:node /data
# The server, the node_modules it needs, server.mjs and the migrations (next.config.ts
# copies the last two in); the static files are left for the deployment to place.
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
USER node
EXPOSE 3000
VOLUME /data
# Liveness only: it never asks the database (docs/decisions/0026).
HEALTHCHECK --interval=30s --timeout=5s \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# server.mjs, as `npm start` runs it: the client's address and the 400s Next would answer with a 500.
CMD ["node", "server.mjs"]
