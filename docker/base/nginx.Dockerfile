# Local stand-in for nginx:<version>-bookworm: Debian's nginx with the official image's start-up
# contract (/docker-entrypoint.sh runs /docker-entrypoint.d/*.sh, then nginx in the foreground),
# and envsubst (gettext-base) and curl, which the official Debian image carries too.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       nginx-light gettext-base curl \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /var/www/html \
    && mkdir -p /etc/nginx/conf.d /etc/nginx/logs /docker-entrypoint.d /usr/share/nginx/html \
    # The official build's prefix is /etc/nginx, Debian's /usr/share/nginx: relative paths in
    # nginx.conf (logs/access.log) must land in the same place.
    && ln -s /etc/nginx/logs /usr/share/nginx/logs \
    && nginx -v
COPY nginx-entrypoint.sh /docker-entrypoint.sh
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
