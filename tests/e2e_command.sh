#!/bin/sh
# `record -- COMMAND` as a user sees it: the exit status is the command's
# (128 + N when killed by signal N), `analyze info` tells how it ended and
# gives a command line that pastes into a shell, the recording stops as
# soon as the command ends, the snapshot holds only what the command can
# meet, and --no-args leaves no argument string anywhere.
set -u
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-command.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"

# --- exit status of record's own failures (no BPF needed) ---
"$RECORD" --bogus 2>/dev/null
check "usage error: exit 64 (EX_USAGE)" 64 $?
free_pid=$(($(cat /proc/sys/kernel/pid_max) - 1))
[ -e "/proc/$free_pid" ] || {
	"$RECORD" -p "$free_pid" 2>"$tmp/err"
	check "record's own failure (-p of no process): exit 125" 125 $?
	check "record's own failure: message" "record: no process with pid $free_pid" "$(cat "$tmp/err")"
}

skip_unless_bpf

"$RECORD" -o "$tmp/no/such/dir.bpfrec" -- true 2>"$tmp/err"
check "record's own failure with a command: exit 125" 125 $?
check_match "record's own failure: message" "^record: cannot create $tmp/no/such/dir.bpfrec" "$(cat "$tmp/err")"

info() { # info TRACE LABEL: the value of one `analyze info` line
	"$ANALYZE" info "$1" | sed -n "s/^$2: *//p"
}

# --- item: the command's exit status ---
"$RECORD" -o "$tmp/e5.bpfrec" -- sh -c 'exit 5' 2>/dev/null
check "-- sh -c 'exit 5': record exits 5" 5 $?
check "info: exit 5" "exit 5" "$(info "$tmp/e5.bpfrec" "command exit")"
"$RECORD" -o "$tmp/k9.bpfrec" -- sh -c 'kill -9 $$' 2>/dev/null
check "-- sh -c 'kill -9 \$\$': record exits 128 + 9" 137 $?
check "info: killed by SIGKILL" "killed by SIGKILL" "$(info "$tmp/k9.bpfrec" "command exit")"
"$RECORD" -o "$tmp/nf.bpfrec" -- "$tmp/no-such-program" 2>"$tmp/err"
check "a command that is not found: 127, as in the shell" 127 $?
check_match "not found: message" "^record: cannot run '$tmp/no-such-program': No such file" "$(cat "$tmp/err")"
"$RECORD" -o "$tmp/ne.bpfrec" -- "$tmp" 2>/dev/null
check "a command that cannot run (a directory): 126, as in the shell" 126 $?

# The recorded command line pastes into a shell: eval gives back the
# same arguments (a quote, a space, a $ and an empty one).
"$RECORD" -o "$tmp/q.bpfrec" -- sh -c 'exit $#' "it's" 'a b' '$HOME' '' 2>/dev/null
check "-- sh -c 'exit \$#' with 4 arguments: record exits 3 (\$0 is the first)" 3 $?
line=$(info "$tmp/q.bpfrec" command)
check "info: the command line, shell-quoted" \
	"record -o $tmp/q.bpfrec -- sh -c 'exit \$#' 'it'\\''s' 'a b' '\$HOME' ''" "$line"
# (in a shell of its own: an unquoted line may not even parse)
# shellcheck disable=SC2016
check "the command line pasted back: the command's 5 arguments" "5|exit \$#|it's|a b|\$HOME||" \
	"$(sh -c 'eval "set -- $1" && shift 6 && printf "%s|" "$#" "$@"' sh "$line" 2>&1)"

# --- analyze report execsnoop -T: the wall clock (UTC) of the exec lies
# between date's before and after the recording ---
t0=$(date -u +%T.%3N)
"$RECORD" -e process -o "$tmp/t.bpfrec" -- true 2>/dev/null
t1=$(date -u +%T.%3N)
when=$("$ANALYZE" report execsnoop "$tmp/t.bpfrec" -T --format csv | sed -n '2s/,.*//p')
check "execsnoop -T: $t0 <= exec time $when <= $t1" yes \
	"$(printf '%s\n' "$t0" "$when" "$t1" | sort -c 2>/dev/null && echo yes || echo no)"
check "execsnoop without -T: no time column" time_s \
	"$("$ANALYZE" report execsnoop "$tmp/t.bpfrec" --format csv | sed -n '1s/,.*//p')"

# --- item: the recording ends when the command does ---
# The time from the command's exit event to the stop is small against the
# command's own lifetime (50 ms): half of it is far above the usual delay
# (about 1 ms), and far below what a 100 ms polling interval gives with a
# 50 ms command (about 50 ms).
"$RECORD" -e process -o "$tmp/s.bpfrec" -- sleep 0.05 2>/dev/null
check "-- sleep 0.05: exit 0" 0 $?
times=$(sql "$tmp/s.bpfrec" "SELECT
	(SELECT ts FROM process_events WHERE type = 'exit') - (SELECT ts FROM process_events WHERE type = 'exec'),
	(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'stop_ts') - (SELECT ts FROM process_events WHERE type = 'exit')")
life=${times%,*} tail=${times#*,}
echo "     sleep 0.05: lifetime $((life / 1000)) us, exit event to stop $((tail / 1000)) us"
check "stop within half the command's lifetime after its exit" yes \
	"$([ "$tail" -ge 0 ] && [ $((tail * 2)) -lt "$life" ] && echo yes || echo "no: $times")"

# --- item: the snapshot holds what the target can meet ---
# -- COMMAND: the recorder and the command, the latter with the fds it
# inherits (fd 7 here), none of the recorder's close-on-exec ones: the
# same fd numbers as a process started here with the same redirection has.
: >"$tmp/inherited-marker"
"$RECORD" -o "$tmp/c.bpfrec" -- sh -c 'exit 0' 7>"$tmp/inherited-marker" 2>/dev/null
check "--: snapshot of 2 processes" 2 "$(info "$tmp/c.bpfrec" snapshot | cut -d' ' -f1)"
recorder=$(sql "$tmp/c.bpfrec" "SELECT value FROM meta WHERE key = 'recorder_pid'")
cmd=$(sql "$tmp/c.bpfrec" "SELECT pid FROM process_events WHERE type = 'exec'")
check "--: the recorder (child of this shell) and the command (its child)" "$recorder,$$|$cmd,$recorder" \
	"$(sql "$tmp/c.bpfrec" "SELECT pid, ppid FROM processes WHERE source = 'snapshot' ORDER BY pid" | paste -sd'|')"
check "--: the command's inherited fd 7" "$tmp/inherited-marker" \
	"$(sql "$tmp/c.bpfrec" "SELECT path FROM fds WHERE how = 'snapshot' AND fd = 7")"
sleep 30 7>"$tmp/inherited-marker" &
observer=$!
# (after its exec: before it, the shell's child may hold a saved fd of its own)
wait_until 30 "the observer's exec of sleep" eval '[ "$(cat /proc/$observer/comm)" = sleep ]'
observed=$(ls "/proc/$observer/fd" | sort -n | paste -sd' ')
kill "$observer"
check "--: the command's fds are those a process started here has" "$observed" \
	"$(sql "$tmp/c.bpfrec" "SELECT fd FROM fds WHERE how = 'snapshot' AND pid = $cmd ORDER BY fd" | paste -sd' ')"
check "--: snapshot fds only of the command" 1 \
	"$(sql "$tmp/c.bpfrec" "SELECT count(DISTINCT pid) FROM fds WHERE how = 'snapshot'")"

# -p: that process, its threads and fds.
"$WORKLOAD" --thread-on-usr1 3 &
target=$!
wait_until 30 "the worker thread of $target" eval '[ "$(ls /proc/$target/task | wc -l)" = 2 ]'
target_fds=$(ls "/proc/$target/fd" | wc -l)
"$RECORD" -p "$target" -e process -o "$tmp/p.bpfrec" 2>"$tmp/p.err" &
rec=$!
wait_for_line "$tmp/p.err" "^record: recording"
kill -USR1 "$target"
wait "$rec"
check "-p: snapshot of 1 process, with its fds" "1 processes, $target_fds" \
	"$(info "$tmp/p.bpfrec" snapshot | sed 's/ fds$//')"
check "-p: the target and its thread" "$target|$target,wl-worker" \
	"$(sql "$tmp/p.bpfrec" "SELECT pid FROM processes" | paste -sd'|')|$(sql "$tmp/p.bpfrec" "SELECT pid, comm FROM threads WHERE tid <> pid")"

# -a: every process; those alive before and after are all in it.
before=$(ls /proc | grep -E '^[0-9]+$' | sort)
"$RECORD" -a -e process --duration 0.1 -o "$tmp/a.bpfrec" 2>/dev/null
after=$(ls /proc | grep -E '^[0-9]+$' | sort)
stable=$(printf '%s\n' "$before" | comm -12 - "$(printf '%s\n' "$after" >"$tmp/after"; echo "$tmp/after")")
snap=$(sql "$tmp/a.bpfrec" "SELECT pid FROM processes WHERE source = 'snapshot'" | sort)
check "-a: every process alive before and after is in the snapshot" "" \
	"$(printf '%s\n' "$stable" | comm -23 - "$(printf '%s\n' "$snap" >"$tmp/snap"; echo "$tmp/snap")" | paste -sd' ')"

# --- --no-args: no argument string anywhere, the exec filename kept ---
for mode in args noargs; do
	flag=$([ $mode = noargs ] && echo --no-args)
	"$RECORD" $flag -z 0 -o "$tmp/$mode.bpfrec" -- sh -c \
		'/bin/echo SECRET-MARKER-4711 >/dev/null; /nonexistent/bpfrec SECRET-MARKER-4711 2>/dev/null; true' 2>/dev/null
	check "$mode: record exits 0" 0 $?
	"$ANALYZE" import "$tmp/$mode.bpfrec" >/dev/null 2>&1
	eval "n_$mode=\$(sqlite3 '$tmp/$mode.bpfrec.db' .dump | grep -c SECRET-MARKER-4711)"
	eval "f_$mode=\$(grep -c SECRET-MARKER-4711 '$tmp/$mode.bpfrec')"
done
# shellcheck disable=SC2154
check "with arguments: the marker is in the trace and the database" yes \
	"$([ "$n_args" -gt 0 ] && [ "$f_args" -gt 0 ] && echo yes || echo "no: $f_args, $n_args")"
# shellcheck disable=SC2154
check "--no-args: the marker in neither" "0,0" "$f_noargs,$n_noargs"
# a failed exec's argv is read at its entry: dropped in the kernel too
check "failed exec: argv kept, or not with --no-args" "1|0" \
	"$(sql "$tmp/args.bpfrec" "SELECT count(*) FROM syscall_argv WHERE args LIKE '%SECRET-MARKER-4711%'")|$(sql "$tmp/noargs.bpfrec" "SELECT count(*) FROM syscall_argv")"
check "--no-args: exec filenames kept, no argv" "2,0" \
	"$(sql "$tmp/noargs.bpfrec" "SELECT count(*), sum(coalesce(length(args), 0)) FROM process_events
		WHERE type = 'exec' AND (filename = '/bin/echo' OR filename LIKE '/%/sh')")"
check "--no-args: info says so" dropped "$(info "$tmp/noargs.bpfrec" arguments)"
check "--no-args: the command line keeps the command, not its arguments" \
	"record --no-args -z 0 -o $tmp/noargs.bpfrec -- sh" "$(info "$tmp/noargs.bpfrec" command)"

finish
