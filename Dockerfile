# Raqib: the Telegram bot as a small image.
#   docker build -t raqib .
#   docker run -d --name raqib --restart unless-stopped -e TELEGRAM_BOT_TOKEN=123456:ABC... \
#     -v raqib-data:/data -v "$PWD/raqib.toml:/config/raqib.toml:ro" raqib
# Set [storage].path = "/data/raqib.db" in the mounted configuration. Without a token the service runs in
# console mode and prints the pushes to the container's log (`docker logs raqib`).

# --- build: install the pinned dependencies and Raqib into a virtual environment -----------------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/raqib
WORKDIR /src
COPY requirements.lock ./
# test-only tools are left out of the image
RUN grep -v -E '^(pytest|pytest-xdist|execnet|ruff|iniconfig|playwright|greenlet)==' requirements.lock > /tmp/requirements.txt \
 && /opt/raqib/bin/pip install --no-cache-dir -r /tmp/requirements.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY config ./config
COPY feeds ./feeds
COPY reactions ./reactions
COPY storage ./storage
RUN /opt/raqib/bin/pip install --no-cache-dir --no-deps --no-build-isolation . \
 && /opt/raqib/bin/python -m compileall -q /opt/raqib/lib

# --- run: the virtual environment only, as a non-root user ---------------------------------------------
FROM python:3.11-slim
ENV PATH=/opt/raqib/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RAQIB_CONFIG=/config/raqib.toml
# FreeDict's English-Arabic dictionaries: clustering compares Arabic and English reports through them
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dict-freedict-eng-ara dict-freedict-ara-eng \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 raqib \
 && useradd --system --uid 10001 --gid raqib --home-dir /data --shell /usr/sbin/nologin raqib \
 && mkdir -p /data /config \
 && chown raqib:raqib /data
COPY --from=build /opt/raqib /opt/raqib
USER raqib
WORKDIR /data
VOLUME ["/data"]
# Healthy while the service's jobs run on schedule: `raqib health` reads the heartbeat the service writes beside
# the database every 30 s and exits 1 when it is stale or a job (feed polls, the sender, the digest) has stopped.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 CMD ["raqib", "health"]
# run_polling stops gracefully on SIGTERM (docker stop): jobs finish, in-flight deliveries are recovered at start
STOPSIGNAL SIGTERM
ENTRYPOINT ["raqib"]
CMD ["run"]
