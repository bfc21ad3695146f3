#!/usr/bin/env bash
# Runs a command with a Docker engine available, for `npm run test:docker` on a fresh CI machine.
#
#   scripts/with-dockerd.sh <command...>
#
# 1. Installs docker.io and debootstrap from apt when missing (root or sudo).
# 2. Uses the daemon that answers at DOCKER_HOST / the default socket; otherwise starts `dockerd` in the
#    background, first with its defaults, then without iptables and the bridge (some VMs and containers
#    lack the netfilter modules). Without a bridge, containers share the host network: the script exports
#    MOSAIC_DOCKER_NETWORK=host, which `mosaic docker run` and `mosaic deploy local` honour.
#    MOSAIC_DOCKERD_NO_BRIDGE=1 skips the first attempt.
# 3. Runs the command, then stops the dockerd it started (never one it found running).
#
# Images stay in the daemon's data root (/var/lib/docker), so the offline test base image built by the
# suite is reused by later runs on the same machine.
set -euo pipefail

log() { printf '[with-dockerd] %s\n' "$*" >&2; }

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/with-dockerd.sh <command...>" >&2
  exit 2
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} from apt"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

daemon_answers() { timeout 10 docker info >/dev/null 2>&1; }

started_pid=""
dockerd_log="$(mktemp -t mosaic-dockerd.XXXXXX.log)"

stop_started_dockerd() {
  if [ -n "$started_pid" ] && kill -0 "$started_pid" 2>/dev/null; then
    log "stopping the dockerd this script started (pid $started_pid)"
    as_root kill -TERM "$started_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$started_pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$started_pid" 2>/dev/null; then
      log "dockerd did not stop in 30s; killing it"
      as_root kill -KILL "$started_pid" 2>/dev/null || true
    fi
  fi
  started_pid=""
}
trap stop_started_dockerd EXIT

# Starts dockerd with the given flags; returns 0 once `docker info` answers (up to 60 s).
start_dockerd() {
  log "starting dockerd $*"
  local t0=$SECONDS
  # Its own session: a signal for this script's process group (Ctrl-C, a CI timeout) must not
  # reach dockerd before the trap below has stopped it in order.
  if [ "$(id -u)" -eq 0 ]; then
    setsid dockerd "$@" >>"$dockerd_log" 2>&1 </dev/null &
    started_pid=$!
  else
    sudo -n setsid dockerd "$@" >>"$dockerd_log" 2>&1 </dev/null &
    started_pid=$!
  fi
  for _ in $(seq 1 60); do
    if daemon_answers; then
      log "dockerd ready in $((SECONDS - t0))s (log: $dockerd_log)"
      return 0
    fi
    kill -0 "$started_pid" 2>/dev/null || break
    sleep 1
  done
  log "dockerd $* did not come up; last log lines:"
  tail -n 15 "$dockerd_log" >&2 || true
  stop_started_dockerd
  return 1
}

if daemon_answers; then
  log "using the Docker daemon already running"
else
  # A dockerd killed earlier leaves its pid file behind, and a new one refuses to start over it.
  pidfile=/var/run/docker.pid
  if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile" 2>/dev/null || echo 0)" 2>/dev/null; then
    as_root rm -f "$pidfile"
  fi
  # MOSAIC_DOCKERD_NO_BRIDGE=1 goes straight to the fallback (to test the host-network path).
  if [ "${MOSAIC_DOCKERD_NO_BRIDGE:-}" != 1 ] && start_dockerd; then
    :
  elif start_dockerd --iptables=false --bridge=none; then
    export MOSAIC_DOCKER_NETWORK="${MOSAIC_DOCKER_NETWORK:-host}"
  else
    log "could not start dockerd (see $dockerd_log)"
    exit 1
  fi
fi

# A daemon without a usable bridge network can only run containers on the host network.
if [ -z "${MOSAIC_DOCKER_NETWORK:-}" ] && ! timeout 10 docker network inspect bridge >/dev/null 2>&1; then
  export MOSAIC_DOCKER_NETWORK=host
fi
log "container network: ${MOSAIC_DOCKER_NETWORK:-bridge}"

set +e
"$@"
status=$?
set -e
exit "$status"
