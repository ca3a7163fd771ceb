# Local stand-in for python:<version>-slim-bookworm: Debian's Python 3.11 with venv (the
# JupyterLite build needs Python >= 3.10 and makes its own venv).
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3 --version
CMD ["python3"]
