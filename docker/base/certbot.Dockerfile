# Local stand-in for certbot/certbot:v<version>: certbot from PyPI in a venv on Debian's Python,
# with `certbot` as the entrypoint like the official image. The libraries it was released with
# are pinned: newer pyOpenSSL dropped APIs certbot 3.1 calls.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
ARG CERTBOT_VERSION
ARG PIP_CERT=/etc/ssl/certs/ca-certificates.crt
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/certbot \
    && /opt/certbot/bin/pip install --quiet --disable-pip-version-check --no-cache-dir \
       "certbot==${CERTBOT_VERSION}" pyOpenSSL==24.3.0 cryptography==44.0.3 josepy==1.15.0 \
    && ln -s /opt/certbot/bin/certbot /usr/local/bin/certbot \
    && certbot --version
ENTRYPOINT ["certbot"]
