# Helpers for bench/peers/run.sh and smtp_accept.sh (sourced, not run). Loopback only; every loop is bounded; only
# processes this harness started are stopped, by PID. Adapted from the peer recipes in ../shared/peer-recipes/.
# The sourcing script sets WORK (its scratch directory: apt.log, cmd.err) before calling these.

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

# ---- Postfix: the one recipe for a throwaway instance (run.sh PARTS=smtp and smtp_accept.sh both use it) -----------
# postfix_start DIR PORT: Postfix with its own main.cf/master.cf, queue and data under DIR (nothing under /etc is
# used; chroot off), smtpd on 127.0.0.1:PORT -> cleanup -> queue file fsync'ed before the 250 -> qmgr -> discard.
# No connection count or rate limits (20 sessions from one address). On failure it shows `postfix check` (Postfix
# reports fatal errors to syslog or a tty only). PF_DIR is set for postfix_stop and postfix_queued.
PF_DIR=
postfix_start() {
  PF_DIR=$1
  local port=$2
  rm -rf "$PF_DIR"; mkdir -p "$PF_DIR/etc" "$PF_DIR/spool" "$PF_DIR/data"; chown postfix "$PF_DIR/data"
  cat >"$PF_DIR/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF_DIR/spool
data_directory = $PF_DIR/data
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = $PF_DIR
mail_owner = postfix
setgid_group = postdrop
myhostname = peer.localdomain
mydomain = localdomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
default_transport = discard
relay_transport = discard
local_transport = discard
alias_maps =
alias_database =
biff = no
smtputf8_enable = no
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
CF
  cat >"$PF_DIR/etc/master.cf" <<CF
127.0.0.1:$port inet n - n - 100 smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
CF
  /usr/sbin/postfix -c "$PF_DIR/etc" start >"$PF_DIR/postfix-start.log" 2>&1 \
    || { cat "$PF_DIR/postfix-start.log" >&2; script -qc "/usr/sbin/postfix -c $PF_DIR/etc check" /dev/null >&2; return 1; }
  wait_port "$port"
}

# The master's PID from its pid file (empty when none runs).
postfix_master_pid() { sed -n 1p "$PF_DIR/spool/pid/master.pid" 2>/dev/null | tr -d ' '; }

# Stops the instance postfix_start started (its master, by the PID in its own pid file; bounded wait).
postfix_stop() {
  [ -n "$PF_DIR" ] || return 0
  local pid; pid=$(postfix_master_pid)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}

# Messages still in the instance's queue.
postfix_queued() {
  find "$PF_DIR/spool"/maildrop "$PF_DIR/spool"/incoming "$PF_DIR/spool"/active "$PF_DIR/spool"/deferred -type f \
    2>/dev/null | wc -l
}
