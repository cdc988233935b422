#!/usr/bin/env bash
# Makes sure the real tools the tests run against are on this machine: promtool, Prometheus,
# Alertmanager, amtool, redis-server, the redis_exporter peer, postgres_exporter and docker-compose (Debian packages). Installs them
# when we are root with apt-get; otherwise stops with the exact command to run.
# Also checks that the shared PostgreSQL and Redis the tests use are reachable.
set -euo pipefail

need=()
for bin in promtool prometheus amtool prometheus-alertmanager prometheus-redis-exporter prometheus-postgres-exporter redis-server redis-cli docker-compose; do
  command -v "$bin" >/dev/null 2>&1 || need+=("$bin")
done
# docker-compose (Debian's 1.29) only parses docker-compose.yml here: no Docker engine runs.
pkgs="prometheus prometheus-alertmanager prometheus-redis-exporter prometheus-postgres-exporter redis-server docker-compose"
if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-tools: missing ${need[*]}; installing Debian packages: $pkgs" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends $pkgs >&2
  else
    echo "ensure-tools: cannot install as $(id -un). Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $pkgs" >&2
    exit 1
  fi
fi

# The Debian packages start their own daemons under systemd; where there is no systemd nothing
# starts, and where there is, the tests still use private instances on free ports.
pg_host=${PGHOST:-127.0.0.1}
pg_port=${PGPORT:-5432}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
if ! (exec 3<>"/dev/tcp/$pg_host/$pg_port") 2>/dev/null; then
  echo "ensure-tools: PostgreSQL is not reachable on $pg_host:$pg_port (set PGHOST/PGPORT, or start it:" >&2
  echo "  pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start)" >&2
  exit 1
fi
redis_hostport=${redis_url#redis://}
redis_hostport=${redis_hostport%%/*}
if ! redis-cli -h "${redis_hostport%:*}" -p "${redis_hostport##*:}" ping >/dev/null 2>&1; then
  echo "ensure-tools: Redis is not reachable at $redis_url (set REDIS_URL, or start it:" >&2
  echo "  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no)" >&2
  exit 1
fi
echo "ensure-tools: promtool, prometheus, alertmanager, amtool, redis-server, redis_exporter, postgres_exporter, docker-compose, PostgreSQL and Redis are ready" >&2
