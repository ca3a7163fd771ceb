# scripts/stack-test.sh's off-site bucket: an S3-compatible server (moto on gunicorn, TLS) on the
# stack's network, where production has real object storage. Test only. Build from the
# repository root with --build-arg PYTHON_IMAGE=… (a Debian bookworm image with python3-venv).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}
ARG PIP_CERT
ARG PIP_INDEX_URL
COPY scripts/s3-test-server.sh scripts/s3-test-server.requirements.txt /opt/s3/
RUN /opt/s3/s3-test-server.sh --install-only --venv /opt/s3/venv
ENTRYPOINT ["/opt/s3/s3-test-server.sh", "--venv", "/opt/s3/venv"]
