# Helpers for bench/peers/run.sh (sourced, not run). Loopback only; every loop is bounded; only processes this
# harness started are stopped, by PID. Adapted from the peer recipes in ../shared/peer-recipes/.

PEERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3

declare -a PEER_PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# apt-get install only the packages that are missing. Postfix is preseeded to "No configuration" so it never becomes
# the system MTA; nothing under /etc is used by the instances this harness starts.
need_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing: ${missing[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit)" ] || apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$WORK/apt.log" 2>&1 \
    || { cat "$WORK/apt.log" >&2; return 1; }
}

# Wait (at most 20 s) until something listens on 127.0.0.1:$1.
wait_port() {
  local i
  for i in $(seq 1 200); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "port $1 never opened"; return 1
}

# Refuse a port someone else already uses (we would measure their server).
port_free() {
  if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then log "port $1 already in use; refusing to start"; return 1; fi
}

track() { PEER_PIDS+=("$1"); }

# Stops one tracked PID (TERM, then KILL after 5 s) and forgets it.
stop_pid() {
  local pid=$1 i keep=()
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for i in "${PEER_PIDS[@]}"; do [ "$i" = "$pid" ] || keep+=("$i"); done
  PEER_PIDS=("${keep[@]}")
}

stop_tracked() {
  local pid
  for pid in "${PEER_PIDS[@]}"; do stop_pid "$pid"; done
}

# Peak resident set (VmHWM, KiB) of one process.
peak_rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Wall-clock seconds of a command (stdout discarded, stderr appended to $WORK/cmd.err); returns its rc.
wall() {
  local t0 t1 rc
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>>"$WORK/cmd.err"
  rc=$?
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f\n", b-a}'
  return $rc
}

# record WORKLOAD SIZE SERVER METRIC VALUE: one JSON line in $RESULTS (table.py reads them).
record() {
  printf '{"workload":"%s","size":%s,"server":"%s","metric":"%s","value":%s}\n' "$1" "$2" "$3" "$4" "$5" >>"$RESULTS"
}
