#!/usr/bin/env bash
# mailsim side by side with Dovecot (IMAP, POP3) and Postfix (SMTP) on this machine, same data, same clients,
# interleaved runs, medians; prints ONE table (table.py) with both figures, the ratio and peak RSS. Run on demand (not
# in CI), as root (it apt-installs what is missing and runs Dovecot's workers as nobody):
#
#   bash bench/peers/run.sh                          # everything, SIZES="10000 100000", RUNS=5
#   PARTS=imap SIZES=10000 RUNS=3 bash bench/peers/run.sh
#   PARTS=smtp MAILSIM=/path/to/mailsim bash bench/peers/run.sh   # only SMTP (Postfix vs mailsim serve)
#
# Knobs (environment): PARTS (imap,smtp,delivery), SIZES, RUNS, SMTP_MSGS (2000), SMTP_LEN (1024),
# DELIVERY_MSGS (1000, sent in DELIVERY_CHUNKS (10) alternating chunks per run), MAILSIM (default:
# build-release/sim/mailsim, else build-test/sim/mailsim), WORK (/tmp/mailsim-peers), PORT_BASE (11000: IMAP +43,
# POP3 +10, SMTP +25 for mailsim; +143/+110/+125 for the peers).
# Results: $WORK/results.jsonl (one JSON line per measurement) and the table on stdout.
#
# What is measured (see docs/performance.md): per size N, a fresh Dovecot and a fresh `mailsim serve` get copies of
# the same generated Maildir (gen_maildir.py); one uncounted cold round each (both build their index), then RUNS
# rounds alternating which server goes first, each round imap_pop_client.py: SELECT, FETCH 1:* (FLAGS ENVELOPE),
# UID SEARCH FROM, POP3 USER+PASS, LIST, RETR of every message. SMTP: smtp-source against a throwaway Postfix (its
# queue fsyncs before 250, delivery to discard) and against mailsim serve (Maildir delivery, fsync before 250), 1 and
# 20 sessions, a new connection per message and one reused connection per session. Delivery: the rate into a mailbox
# of the largest size vs an empty one, on the same mailsim server, interleaved in chunks.
set -u
. "$(dirname "$0")/lib.sh"
REPO="$(cd "$PEERS_DIR/../.." && pwd)"
PARTS=${PARTS:-imap,smtp,delivery}
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-5}
SMTP_MSGS=${SMTP_MSGS:-2000}; SMTP_LEN=${SMTP_LEN:-1024}; DELIVERY_MSGS=${DELIVERY_MSGS:-1000}
DELIVERY_CHUNKS=${DELIVERY_CHUNKS:-10}
(( DELIVERY_MSGS % DELIVERY_CHUNKS == 0 )) || { echo "DELIVERY_MSGS must be a multiple of DELIVERY_CHUNKS" >&2; exit 2; }
WORK=${WORK:-/tmp/mailsim-peers}
PORT_BASE=${PORT_BASE:-11000}
M_IMAP=$((PORT_BASE + 43)); M_POP=$((PORT_BASE + 10)); M_SMTP=$((PORT_BASE + 25))
D_IMAP=$((PORT_BASE + 143)); D_POP=$((PORT_BASE + 110)); P_SMTP=$((PORT_BASE + 125))
U=peer@bench.test; P=peerpass; EMPTY=empty@bench.test; NEEDLE=alice
if [ -z "${MAILSIM:-}" ]; then
  for b in "$REPO/build-release/sim/mailsim" "$REPO/build-test/sim/mailsim"; do [ -x "$b" ] && { MAILSIM=$b; break; }; done
fi
[ -x "${MAILSIM:-}" ] || { echo "no mailsim binary: build one (see docs/performance.md) or set MAILSIM" >&2; exit 1; }
has_part() { [[ ",$PARTS," == *",$1,"* ]]; }

mkdir -p "$WORK"
RESULTS=$WORK/results.jsonl
: >"$RESULTS"; : >"$WORK/cmd.err"
need_pkgs dovecot-imapd dovecot-pop3d postfix || exit 1
trap 'stop_tracked; postfix_stop' EXIT
for port in $M_IMAP $M_POP $M_SMTP $D_IMAP $D_POP $P_SMTP; do port_free "$port" || exit 1; done
log "mailsim: $MAILSIM"
printf '{"meta":{"mailsim":"%s","dovecot":"%s","postfix":"%s","runs":%s,"cpu":"%s","cores":%s}}\n' \
  "$MAILSIM" "$(/usr/sbin/dovecot --version | cut -d' ' -f1)" "$(dpkg-query -W -f='${Version}' postfix)" "$RUNS" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)" >>"$RESULTS"

# ---- servers ------------------------------------------------------------------------------------------------------
DOVECOT_PID=; MAILSIM_PID=

# dovecot_start MAILDIR_TEMPLATE: a throwaway instance under $WORK/dovecot serving a copy of the template.
dovecot_start() {
  local base=$WORK/dovecot
  rm -rf "$base"; mkdir -p "$base/run" "$base/state" "$base/home/$U"
  echo "$U:{PLAIN}$P" >"$base/users"
  cat >"$base/dovecot.conf" <<CF
instance_name = mailsim-peer-dovecot
base_dir = $base/run
state_dir = $base/state
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $base/dovecot.log
first_valid_uid = 1
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $base/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$base/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $D_IMAP
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $D_POP
  }
  inet_listener pop3s {
    port = 0
  }
}
CF
  cp -a "$1" "$base/home/$U/Maildir"
  chown -R nobody:nogroup "$base/home"
  /usr/sbin/dovecot -F -c "$base/dovecot.conf" >/dev/null 2>"$base/dovecot.stderr" &
  DOVECOT_PID=$!; track "$DOVECOT_PID"
  wait_port "$D_IMAP" && wait_port "$D_POP" || { cat "$base/dovecot.stderr" "$base/dovecot.log" >&2; return 1; }
}

# mailsim_start [MAILDIR_TEMPLATE]: `mailsim serve` on a fresh root (the template copied in as $U's INBOX).
mailsim_start() {
  local root=$WORK/mailsim
  if [ "${1:-}" != keep ]; then
    rm -rf "$root"; mkdir -p "$root"
    [ -n "${1:-}" ] && cp -a "$1" "$root/$U"
  fi
  "$MAILSIM" serve --imap 127.0.0.1:$M_IMAP --pop3 127.0.0.1:$M_POP --smtp 127.0.0.1:$M_SMTP --maildir "$root" \
    --no-tls --user "$U:$P" --user "$EMPTY:$P" --max-per-address 64 >/dev/null 2>"$WORK/mailsim.stderr" &
  MAILSIM_PID=$!; track "$MAILSIM_PID"
  wait_port "$M_IMAP" && wait_port "$M_POP" && wait_port "$M_SMTP" || { cat "$WORK/mailsim.stderr" >&2; return 1; }
}

# ---- IMAP and POP3 ------------------------------------------------------------------------------------------------
# round SERVER N: one imap_pop_client.py round; its JSON on stdout.
round() {
  local server=$1 n=$2
  if [ "$server" = mailsim ]; then
    timeout 1800 "$PY" "$PEERS_DIR/imap_pop_client.py" 127.0.0.1 $M_IMAP $M_POP "$U" "$P" "$n" "$NEEDLE" "$MAILSIM_PID"
  else
    timeout 1800 "$PY" "$PEERS_DIR/imap_pop_client.py" 127.0.0.1 $D_IMAP $D_POP "$U" "$P" "$n" "$NEEDLE" "$DOVECOT_PID"
  fi
}

record_round() {  # record_round SERVER N JSON
  local k
  for k in imap_select imap_fetch imap_uid_search pop_login pop_list pop_retr_all rss_kib; do
    record "$k" "$2" "$1" "$([ $k = rss_kib ] && echo rss_kib || echo seconds)" \
      "$(echo "$3" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['$k'])")"
  done
}

imap_part() {
  local n=$1 tpl=$WORK/template-$1 r first second out rss0 rss1
  if [ ! -d "$tpl/cur" ] || [ "$(find "$tpl/cur" -type f | wc -l)" -ne "$n" ]; then
    rm -rf "$tpl"; log "generating $n messages"; "$PY" "$PEERS_DIR/gen_maildir.py" "$tpl" "$n" || return 1
  fi
  dovecot_start "$tpl" || return 1
  mailsim_start "$tpl" || return 1
  for s in dovecot mailsim; do  # cold: both build their index from the files
    out=$(round $s "$n") || { log "$s cold round failed: $out"; return 1; }
    log "$s cold ($n): $out"; record_round "$s-cold" "$n" "$out"
  done
  # index memory: a restarted mailsim's resident growth from loading its persisted index (SELECT: the index, the
  # shared message list and one session's view), per message; and the index files on disk
  stop_pid "$MAILSIM_PID"; mailsim_start keep || return 1
  rss0=$(awk '/^VmRSS:/ {print $2}' /proc/$MAILSIM_PID/status)
  rss1=$("$PY" - "$M_IMAP" "$U" "$P" "$MAILSIM_PID" <<'PYEOF'
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]), timeout=300)
m.login(sys.argv[2], sys.argv[3]); m.select("INBOX")
print(next(l.split()[1] for l in open(f"/proc/{sys.argv[4]}/status") if l.startswith("VmRSS:")))
m.logout()
PYEOF
  )
  record index_rss_per_msg "$n" mailsim bytes "$(awk -v a="$rss0" -v b="$rss1" -v n="$n" 'BEGIN{printf "%.0f", (b-a)*1024/n}')"
  record index_disk_per_msg "$n" mailsim bytes \
    "$(du -cb "$WORK/mailsim/$U"/mailsim-* | tail -1 | awk -v n="$n" '{printf "%.0f", $1/n}')"
  record index_disk_per_msg "$n" dovecot bytes \
    "$(du -cb "$WORK/dovecot/home/$U/Maildir"/dovecot.index* | tail -1 | awk -v n="$n" '{printf "%.0f", $1/n}')"
  for r in $(seq 1 "$RUNS"); do
    if ((r % 2)); then first=dovecot; second=mailsim; else first=mailsim; second=dovecot; fi
    for s in $first $second; do
      out=$(round $s "$n") || { log "$s run $r failed: $out"; return 1; }
      log "$s run $r ($n): $out"; record_round "$s" "$n" "$out"
    done
  done
  if has_part delivery && [ "$n" = "$(echo $SIZES | tr ' ' '\n' | sort -n | tail -1)" ]; then
    delivery_part "$n" || return 1
  fi
  stop_pid "$DOVECOT_PID"; stop_pid "$MAILSIM_PID"
}

# ---- delivery into a big mailbox vs an empty one (mailsim only; Postfix's queue does not depend on it) -----------
delivery_part() {
  # Interleaved in chunks, the order swapped every chunk (full, empty, empty, full, ...), as smtp_accept.sh does:
  # the disk's flush latency has phases of seconds (docs/performance.md), which must fall on both mailboxes alike.
  local n=$1 r k t to chunk=$((DELIVERY_MSGS / DELIVERY_CHUNKS)) sum_full sum_empty
  smtp-source -s 1 -m 20 -l "$SMTP_LEN" -f sender@example.org -t "$EMPTY" 127.0.0.1:$M_SMTP 2>>"$WORK/cmd.err"
  for r in $(seq 1 "$RUNS"); do
    sum_full=0; sum_empty=0
    for k in $(seq 1 "$DELIVERY_CHUNKS"); do
      for to in $( (( (r + k) % 2 )) && echo "$U $EMPTY" || echo "$EMPTY $U"); do
        t=$(wall timeout 600 /usr/sbin/smtp-source -s 1 -m "$chunk" -l "$SMTP_LEN" -f sender@example.org \
              -t "$to" 127.0.0.1:$M_SMTP) || { log "delivery to $to failed"; return 1; }
        if [ "$to" = "$U" ]; then sum_full=$(awk -v a="$sum_full" -v b="$t" 'BEGIN{print a+b}')
        else sum_empty=$(awk -v a="$sum_empty" -v b="$t" 'BEGIN{print a+b}'); fi
      done
    done
    log "delivery run $r: full ${sum_full}s, empty ${sum_empty}s for $DELIVERY_MSGS each ($DELIVERY_CHUNKS chunks)"
    record delivery_full "$n" mailsim msgs_per_s "$(awk -v m="$DELIVERY_MSGS" -v t="$sum_full" 'BEGIN{printf "%.1f", m/t}')"
    record delivery_empty "$n" mailsim msgs_per_s "$(awk -v m="$DELIVERY_MSGS" -v t="$sum_empty" 'BEGIN{printf "%.1f", m/t}')"
  done
  # nothing lost: every accepted message is in the Maildirs
  local got; got=$(find "$WORK/mailsim/$U/new" "$WORK/mailsim/$U/cur" -type f | wc -l)
  [ "$got" -eq $((n + RUNS * DELIVERY_MSGS)) ] || { log "delivery check: $got files in $U, expected $((n + RUNS * DELIVERY_MSGS))"; return 1; }
}

# ---- SMTP: Postfix (durable queue, lib.sh's postfix_start) vs mailsim serve ---------------------------------------
smtp_part() {
  local sess mode flags r s t port to first second
  postfix_start "$WORK/postfix" "$P_SMTP" || return 1
  mailsim_start || return 1
  for sess in 1 20; do
    for mode in new reuse; do
      flags=(); [ $mode = reuse ] && flags=(-d)
      for s in postfix mailsim; do  # warm-up, not counted
        port=$P_SMTP; [ $s = mailsim ] && port=$M_SMTP
        timeout 120 /usr/sbin/smtp-source "${flags[@]}" -s "$sess" -m 200 -l "$SMTP_LEN" -f sender@example.org \
          -t "$U" 127.0.0.1:$port 2>>"$WORK/cmd.err"
      done
      for r in $(seq 1 "$RUNS"); do
        if ((r % 2)); then first=postfix; second=mailsim; else first=mailsim; second=postfix; fi
        for s in $first $second; do
          port=$P_SMTP; [ $s = mailsim ] && port=$M_SMTP
          t=$(wall timeout 600 /usr/sbin/smtp-source "${flags[@]}" -s "$sess" -m "$SMTP_MSGS" -l "$SMTP_LEN" \
                -f sender@example.org -t "$U" 127.0.0.1:$port) || { log "smtp $s s=$sess $mode failed"; return 1; }
          log "smtp $s sessions=$sess $mode run $r: ${t}s"
          record "smtp_${mode}_s$sess" "$SMTP_MSGS" "$s" msgs_per_s \
            "$(awk -v m="$SMTP_MSGS" -v t="$t" 'BEGIN{printf "%.1f", m/t}')"
        done
      done
    done
  done
  record smtp_rss "$SMTP_MSGS" mailsim rss_kib "$(peak_rss_kib "$MAILSIM_PID")"
  local got; got=$(find "$WORK/mailsim/$U/new" "$WORK/mailsim/$U/cur" -type f 2>/dev/null | wc -l)
  log "mailsim holds $got messages after the SMTP runs"
  stop_pid "$MAILSIM_PID"; postfix_stop
}

rc=0
if has_part imap; then for n in $SIZES; do imap_part "$n" || { rc=1; break; }; done; fi
if [ $rc = 0 ] && has_part smtp; then smtp_part || rc=1; fi
stop_tracked
"$PY" "$PEERS_DIR/table.py" "$RESULTS"
exit $rc
