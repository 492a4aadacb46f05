#!/usr/bin/env bash
# SMTP durable accept, side by side in one run (issue #16): `mailsim serve` and a throwaway Postfix (smtpd -> cleanup
# -> queue file fsync'ed before the 250 -> qmgr -> discard), both on 127.0.0.1 high ports, both loaded by Postfix's
# smtp-source with the same messages: 1 and 20 sessions, a new connection per message and one reused connection per
# session (-d). Runs are interleaved (Postfix run i, then mailsim run i; at one session in chunks, see run_pair) so
# machine load and the disk's phases hit both alike; the table
# gives medians, messages per second, the ratio mailsim/Postfix (rate), and peak RSS.
# With FULL=N (e.g. 100000) it also measures delivery through `mailsim serve` into a mailbox already holding N
# messages against an empty one (1 session, reused connection, interleaved).
#
# Run on demand, not in CI (needs root for apt and Postfix's own users):
#   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release && cmake --build build-release --target mailsim
#   MAILSIM=build-release/sim/mailsim RUNS=3 FULL=100000 bash bench/peers/smtp_accept.sh
# Knobs: MAILSIM, RUNS (3), MSGS (2000), LEN (1024), WARM (200, uncounted), FULL (0), CHUNKS (10: one-session runs are
# interleaved in this many chunks, see run_pair), PF_PORT (10527),
# MS_PORT (10525), BASE (/tmp/mailsim-smtp-accept). Everything lives under BASE; only processes started here are
# stopped, by PID. Reference recipe: ../shared/peer-recipes/smtp_postfix.sh.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MAILSIM=${MAILSIM:-$ROOT/build-release/sim/mailsim}
RUNS=${RUNS:-3}; MSGS=${MSGS:-2000}; LEN=${LEN:-1024}; WARM=${WARM:-200}; FULL=${FULL:-0}; CHUNKS=${CHUNKS:-10}
(( MSGS % CHUNKS == 0 )) || { echo "MSGS ($MSGS) must be a multiple of CHUNKS ($CHUNKS)" >&2; exit 2; }
PF_PORT=${PF_PORT:-10527}; MS_PORT=${MS_PORT:-10525}
BASE=${BASE:-/tmp/mailsim-smtp-accept}
WORK=$BASE  # lib.sh's scratch directory (apt.log, cmd.err)
. "$HERE/lib.sh"  # log, need_pkgs, port_free, wait_port, wall, peak_rss_kib, postfix_start/stop/queued
PF=$BASE/postfix; SPOOL=$PF/spool
SOURCE=/usr/sbin/smtp-source
FROM=mike@cesoo.com; TO=rose@cesoo.com

die() { log "$*"; exit 1; }
median() { sort -g | awk '{a[NR]=$1} END{ if(NR==0){print "nan"; exit} if(NR%2){print a[(NR+1)/2]} else {printf "%.3f\n",(a[NR/2]+a[NR/2+1])/2} }'; }
hwm_kib() { peak_rss_kib "$1"; }

MS_PID=""
stop_all() {
  if [ -n "$MS_PID" ] && kill -0 "$MS_PID" 2>/dev/null; then
    kill "$MS_PID"; for _ in $(seq 1 100); do kill -0 "$MS_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  postfix_stop
}
trap stop_all EXIT

[ -x "$MAILSIM" ] || die "no mailsim binary at $MAILSIM (build the Release one, see the top of this script)"
PF_DIR=$PF; stop_all  # an instance a previous run left behind
rm -rf "$BASE"; mkdir -p "$BASE"
need_pkgs postfix || exit 1
port_free "$PF_PORT" || die "port $PF_PORT in use"
port_free "$MS_PORT" || die "port $MS_PORT in use"

# --- Postfix: a throwaway instance (lib.sh's postfix_start, the recipe of ../shared/peer-recipes/smtp_postfix.sh).
postfix_start "$PF" "$PF_PORT" || die "Postfix never listened on $PF_PORT"
queued() { postfix_queued; }
wait_drain() {  # the queue empties between runs (not counted), bounded at 300 s
  local i; for i in $(seq 1 3000); do [ "$(queued)" -eq 0 ] && return 0; sleep 0.1; done; return 1
}

# --- mailsim serve: Release build, trace printed to /dev/null (its formatting is still paid for).
"$MAILSIM" serve --smtp 127.0.0.1:"$MS_PORT" --maildir "$BASE/mail" --no-tls --max-per-address 1000 \
  --user mike@cesoo.com:mike123 --user rose@cesoo.com:rose123 --user full@cesoo.com:x --user empty@cesoo.com:x \
  >/dev/null 2>"$BASE/mailsim.err" &
MS_PID=$!
wait_port "$MS_PORT" || die "mailsim never listened on $MS_PORT (see $BASE/mailsim.err)"

PF_VER=$(dpkg-query -W -f='${Version}' postfix)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
log "Postfix $PF_VER on $PF_PORT, mailsim ($MAILSIM) pid $MS_PID on $MS_PORT; $MSGS x $LEN B, $RUNS runs each"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time of every thread, in clock ticks
declare -A TIMES CPU SUM TICKS
# One chunk of `n` messages to one server: its wall time is added to SUM[key] and, for mailsim, its CPU ticks (all
# threads) to TICKS[key]. Postfix's queue drains after it (not counted).
run_chunk() {  # run_chunk key peer port sessions shape to n
  local key=$1 peer=$2 port=$3 sess=$4 shape=$5 to=$6 n=$7 t flags=() c0 c1
  [ "$shape" = reused ] && flags=(-d)
  c0=$(cpu_ticks "$MS_PID")
  t=$(wall timeout 600 "$SOURCE" "${flags[@]}" -s "$sess" -m "$n" -l "$LEN" -f "$FROM" -t "$to" 127.0.0.1:"$port") \
    || { log "$peer s=$sess $shape failed, see $BASE/cmd.err"; return 1; }
  c1=$(cpu_ticks "$MS_PID")
  SUM[$key]=$(awk -v a="${SUM[$key]:-0}" -v b="$t" 'BEGIN{print a+b}')
  [ "$peer" = mailsim ] && TICKS[$key]=$(( ${TICKS[$key]:-0} + c1 - c0 ))
  if [ "$peer" = postfix ]; then wait_drain || log "Postfix queue did not drain"; fi
  return 0
}
# One run of MSGS messages to each of two servers, interleaved in chunks: at one session the run is cut into
# CHUNKS chunks (A's chunk 1, B's chunk 1, B's chunk 2, A's chunk 2, A's chunk 3, ...), so that the swings of this shared disk's flush latency
# (0.1 to 4 ms per durable write, in phases of seconds) fall on both servers alike instead of deciding the ratio; at
# 20 sessions a run stays whole (a chunk of MSGS/CHUNKS would leave a reused connection only a few messages). The
# run's time for each is the sum of its chunks; TIMES[key] gets it, CPU[key] mailsim's CPU ms per message.
run_pair() {  # run_pair sessions shape keyA peerA portA toA keyB peerB portB toB
  local sess=$1 shape=$2 chunks=1 n c k
  local -a a=("$3" "$4" "$5") b=("$7" "$8" "$9")
  local toa=$6 tob=${10}
  [ "$sess" = 1 ] && chunks=$CHUNKS
  n=$(( MSGS / chunks ))
  SUM[${a[0]}]=0; SUM[${b[0]}]=0; TICKS[${a[0]}]=0; TICKS[${b[0]}]=0
  for c in $(seq 1 "$chunks"); do  # A B, B A, A B, ... (whoever goes second in a pair is not always the same)
    if (( c % 2 )); then
      run_chunk "${a[@]}" "$sess" "$shape" "$toa" "$n" || return 1
      run_chunk "${b[@]}" "$sess" "$shape" "$tob" "$n" || return 1
    else
      run_chunk "${b[@]}" "$sess" "$shape" "$tob" "$n" || return 1
      run_chunk "${a[@]}" "$sess" "$shape" "$toa" "$n" || return 1
    fi
  done
  for k in "${a[0]}" "${b[0]}"; do
    TIMES[$k]+="${SUM[$k]} "
    [ "${k%%,*}" = mailsim ] && CPU[$k]+="$(awk -v t="${TICKS[$k]}" -v hz="$(getconf CLK_TCK)" -v n="$(( n * chunks ))" 'BEGIN{printf "%.3f", t/hz*1000/n}') "
  done
  log "sessions=$sess $shape: ${a[0]} ${SUM[${a[0]}]}s, ${b[0]} ${SUM[${b[0]}]}s ($chunks chunk(s) of $n)"
}
for sess in 1 20; do
  for shape in new reused; do
    flags=(); [ "$shape" = reused ] && flags=(-d)
    "$SOURCE" "${flags[@]}" -s "$sess" -m "$WARM" -l "$LEN" -f "$FROM" -t "$TO" 127.0.0.1:"$PF_PORT" >/dev/null 2>>"$BASE/cmd.err"
    wait_drain
    "$SOURCE" "${flags[@]}" -s "$sess" -m "$WARM" -l "$LEN" -f "$FROM" -t "$TO" 127.0.0.1:"$MS_PORT" >/dev/null 2>>"$BASE/cmd.err"
    for i in $(seq 1 "$RUNS"); do
      run_pair "$sess" "$shape" "postfix,$sess,$shape" postfix "$PF_PORT" "$TO" \
        "mailsim,$sess,$shape" mailsim "$MS_PORT" "$TO" || exit 1
    done
  done
done

# Every message answered 250 by mailsim is in the Maildir (smtp-source stops at the first non-2xx reply).
expected=$(( 4 * (RUNS * MSGS + WARM) ))
stored=$(find "$BASE/mail/$TO/new" "$BASE/mail/$TO/cur" -type f | wc -l)
log "mailsim stored $stored messages for $TO (expected $expected)"

echo
echo "SMTP durable accept, $MSGS x $LEN B messages, smtp-source, median of $RUNS interleaved runs"
echo "(Postfix $PF_VER: queue file fsync'ed before 250; mailsim: delivery journal record written with O_DSYNC before 250,"
echo " the Maildir file, new/ and UID list fsync'ed by the journal's checkpoint; see sim/store/maildir/DeliveryJournal.hpp)"
echo "load average at the start: $LOAD0; at the end of the SMTP runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| sessions | connection | Postfix msg/s | mailsim msg/s | mailsim / Postfix (rate) | target (>= 2x) |"
echo "|---|---|---|---|---|---|"
for sess in 1 20; do
  for shape in new reused; do
    p=$(printf '%s\n' ${TIMES[postfix,$sess,$shape]} | median)
    m=$(printf '%s\n' ${TIMES[mailsim,$sess,$shape]} | median)
    awk -v s="$sess" -v c="$shape" -v p="$p" -v m="$m" -v n="$MSGS" 'BEGIN{
      rp=n/p; rm=n/m; r=rm/rp;
      printf "| %s | %s per %s | %.0f | %.0f | %.2fx | %s |\n", s, (c=="new"?"new":"one reused"), (c=="new"?"message":"session"), rp, rm, r, (r>=2?"met":"not met") }'
  done
done
echo
echo "runs (s): $(for k in "${!TIMES[@]}"; do printf '%s=[%s] ' "$k" "${TIMES[$k]% }"; done)"
echo "mailsim peak RSS: $(hwm_kib "$MS_PID") KiB; stored $stored of $expected acknowledged messages"
pf_master=$(sed -n 1p "$SPOOL/pid/master.pid" 2>/dev/null | tr -d ' ')
pf_rss=0
for pid in $pf_master $(pgrep -P "$pf_master" 2>/dev/null); do
  [ -r "/proc/$pid/status" ] && pf_rss=$(( pf_rss + $(hwm_kib "$pid") ))
done
echo "Postfix peak RSS, summed over this instance's processes still running (master and children): $pf_rss KiB"

# --- Delivery into a full mailbox vs an empty one, through mailsim serve.
if [ "$FULL" -gt 0 ]; then
  log "filling full@cesoo.com with $FULL messages (files in cur/, as another program would)"
  python3 - "$BASE/mail/full@cesoo.com" "$FULL" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for d in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(root, d), exist_ok=True)
body = "".join(f"Line {l}: some text to make the message about one KiB long, as the others.\n" for l in range(12))
for i in range(n):
    text = (f"From: Sender {i} <s{i}@example.org>\nTo: full@cesoo.com\nSubject: filler {i}\n"
            f"Message-ID: <{i}@example.org>\n\n{body}")
    with open(os.path.join(root, "cur", f"1700000000.M{i:06d}P1.filler,S={len(text)}:2,S"), "w") as f:
        f.write(text)
PY
  mkdir -p "$BASE/mail/empty@cesoo.com"
  sync  # the fill's own write-back is not measured (the delivery journal's checkpoint, one syncfs, would pay for it)
  # The first delivery to each builds (full) or creates (empty) the folder's index: not counted.
  "$SOURCE" -d -s 1 -m 1 -l "$LEN" -f "$FROM" -t full@cesoo.com 127.0.0.1:"$MS_PORT" >/dev/null 2>>"$BASE/cmd.err"
  "$SOURCE" -d -s 1 -m 1 -l "$LEN" -f "$FROM" -t empty@cesoo.com 127.0.0.1:"$MS_PORT" >/dev/null 2>>"$BASE/cmd.err"
  sync  # ... nor is the write-back of what it wrote (the full one's index and UID list)
  for i in $(seq 1 "$RUNS"); do
    run_pair 1 reused "mailsim,1,full" mailsim "$MS_PORT" full@cesoo.com \
      "mailsim,1,empty" mailsim "$MS_PORT" empty@cesoo.com || exit 1
  done
  f=$(printf '%s\n' ${TIMES[mailsim,1,full]} | median)
  e=$(printf '%s\n' ${TIMES[mailsim,1,empty]} | median)
  echo
  echo "Delivery through mailsim serve, 1 session, $MSGS x $LEN B, median of $RUNS interleaved runs:"
  awk -v f="$f" -v e="$e" -v n="$MSGS" -v full="$FULL" 'BEGIN{
    printf "| mailbox | msg/s |\n|---|---|\n| empty | %.0f |\n| holding %d messages | %.0f |\n", n/e, full, n/f;
    d=(f-e)/e*100; printf "full vs empty: %+.1f %% time per message (target: within 10 %%: %s)\n", d, (d<=10&&d>=-10?"met":"not met") }'
  # CPU time is much less noisy than wall time on a shared disk: mailsim's own CPU per message, both mailboxes.
  cf=$(printf '%s\n' ${CPU[mailsim,1,full]} | median); ce=$(printf '%s\n' ${CPU[mailsim,1,empty]} | median)
  echo "mailsim CPU (user+system, all threads) per message: empty ${ce} ms, full ${cf} ms (runs: empty [${CPU[mailsim,1,empty]% }], full [${CPU[mailsim,1,full]% }])"
  # System calls per delivery, counted by strace over 200 messages into each mailbox (the same in both = no
  # per-message work grows with the mailbox; a readdir of cur/ would show as getdents64).
  if command -v strace >/dev/null; then
    for box in empty full; do
      strace -f -c -o "$BASE/strace-$box.txt" -p "$MS_PID" & st=$!
      sleep 1
      "$SOURCE" -d -s 1 -m 200 -l "$LEN" -f "$FROM" -t "$box@cesoo.com" 127.0.0.1:"$MS_PORT" >/dev/null 2>>"$BASE/cmd.err"
      kill -INT "$st"; wait "$st" 2>/dev/null
      calls=$(awk '/^-/ {n++; next} n==1 && NF>=5 {c+=$4} END{print c}' "$BASE/strace-$box.txt")
      dents=$(awk '$NF=="getdents64" {print $4}' "$BASE/strace-$box.txt")
      echo "strace, 200 deliveries into the $box mailbox: ${calls} system calls ($(awk -v c="$calls" 'BEGIN{printf "%.1f", c/200}') per message), getdents64: ${dents:-0}"
    done
  fi
fi
