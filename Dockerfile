# Rampart built from the workspace: the API bundle (apps/api/dist/server.js) with its dependencies.
# Pending migrations are applied by the server itself on start (Prisma's wasm schema engine), so the
# image needs no Prisma CLI or engine binary. `docker compose up --build` uses it with PostgreSQL.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10
# The whole workspace (see .dockerignore): the build bundles our packages into the API's dist/.
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    RAMPART_DATA_DIR=/data
COPY --from=build /app /app
# Without DATABASE_URL the server keeps an embedded PostgreSQL in RAMPART_DATA_DIR: give it a writable folder.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "apps/api/dist/server.js"]
