# The sandbox as one small image: the build stage compiles the single binary
# (`make build`'s command) with the Bun pinned in package-lock.json (the `bun`
# npm package, installed by `npm ci`); the run stage holds only that binary on
# a glibc base, as a non-root user.
#
#   docker build -t lead-provider-sandbox .        (podman: add --format docker, or HEALTHCHECK is dropped)
#   docker run -d --name sandbox -p 127.0.0.1:3000:3000 -v sandbox-data:/data lead-provider-sandbox
#
# The admin token is printed once in the first start's log (docker logs sandbox); mint
# another with `docker exec sandbox lead-provider-sandbox token create --admin`.

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: better-sqlite3 ships its prebuilt binaries (the app loads
# better-sqlite3/linux-x64), but npm would still run node-gyp for its binding.gyp,
# which needs Python and a compiler that this image has not; the bun package
# links its binary in a postinstall script, so that one is run by hand
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && node node_modules/bun/install.js \
 && node_modules/.bin/bun --version
COPY tsconfig.json ./
COPY db ./db
COPY src ./src
# plain --minify is known to break Elysia; these two are safe
RUN node_modules/.bin/bun build --compile --minify-whitespace --minify-syntax src/cli.ts --outfile dist/lead-provider-sandbox \
 && ./dist/lead-provider-sandbox --version \
 && mkdir -p /empty/data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/dist/lead-provider-sandbox /usr/local/bin/lead-provider-sandbox
# a named volume starts as a copy of this folder, so it is writable by the nonroot user (uid 65532);
# a bind mount keeps the host folder's owner: make it writable by 65532, or run with --user
COPY --from=build --chown=65532:65532 /empty/data /data
ENV DATABASE_PATH=/data/sandbox.sqlite \
    PORT=3000 \
    HOST=0.0.0.0
VOLUME /data
EXPOSE 3000
USER 65532:65532
# the image has no curl: the binary asks its own /healthz (http://127.0.0.1:$PORT/healthz)
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/lead-provider-sandbox", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/lead-provider-sandbox"]
CMD ["serve"]
