#!/bin/sh
# Leak reports on one trace holding an fd accumulator next to a shell
# pipeline. `workload --leak-sockets N` opens and closes files, pipes and
# sockets, leaks N UDP sockets connected to 127.0.0.1 and stays alive past
# the end of the recording; the pipeline's processes get pipes dup2'd onto
# their stdio and exit. leaks must show exactly the N sockets and the
# growth that /proc/PID/fd of the live workload shows (the independent
# count); leaks-at-exit must show nothing: stdio redirections are not leaks.
# A script run by bash, by dash and by its #! line leaks fds on itself:
# leaks-at-exit lists those, not the fd each shell reads the script
# through, which /proc/PID/fd shows it holding; run by bash and dash still
# alive at the end, leaks counts the same fds as growth, not that one.
set -u
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
N=5 # sockets leaked
tmp=$(mktemp -d /tmp/bpfrec-leaks.XXXXXX)
wpid= live=
trap 'kill $wpid $live 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf

trace="$tmp/l.bpfrec"
db="$trace.db"
mkfifo "$tmp/ready"
# The workload runs in the background; the pipeline's last stage is a
# subshell, which (unlike coreutils) leaves its dup2'd stdin for exit to
# close; the command ends once the workload says all N sockets are open.
"$RECORD" -o "$trace" -- sh -c '
	"$1" --leak-sockets "$2" >"$3/ready" &
	head -c 100000 /dev/zero | cat | wc -c | { read n; echo "$n" >"$3/wc.out"; }
	read line <"$3/ready"
	echo "$line" >"$3/ready.txt"' sh "$WORKLOAD" "$N" "$tmp" 2>"$tmp/record.err"
check "record exits 0" 0 $?
check "the pipeline ran" 100000 "$(cat "$tmp/wc.out")"
wpid=$(sed -n 's/^ready \([0-9]*\)$/\1/p' "$tmp/ready.txt")
check "the workload is alive after the recording" "--leak-sockets" \
	"$(tr '\0' '\n' <"/proc/$wpid/cmdline" 2>/dev/null | sed -n 2p)"

# /proc/PID/fd now: the fds open at the end of the trace
proc_fds=$(ls "/proc/$wpid/fd" | wc -l)
proc_sockets=$(for f in "/proc/$wpid/fd"/*; do readlink "$f"; done | grep -c '^socket:')
check "/proc/PID/fd: N sockets" "$N" "$proc_sockets"
kill "$wpid"

"$ANALYZE" import "$trace" >/dev/null
check "import exits 0" 0 $?
check "no drops" 0 "$(sql "$db" "SELECT value FROM meta WHERE key = 'drops_total'")"
check "the trace knows the workload's pid" "$wpid" \
	"$(sql "$db" "SELECT pid FROM process_events WHERE type = 'exec' AND args LIKE '% --leak-sockets $N'")"

report() { # report NAME: CSV rows without the header
	"$ANALYZE" report "$1" "$trace" --format csv | tail -n +2
}
# pid,comm,fds_start,fds_end,growth,how,pattern,fds,first_s,last_s,example
leaks=$(report leaks)
check "leaks: one row" 1 "$(printf '%s\n' "$leaks" | grep -c .)"
check "leaks: the workload's N sockets, fds at the end as in /proc/PID/fd, growth N" \
	"$wpid,workload,$proc_fds,$N,socket,$N" "$(printf '%s\n' "$leaks" | cut -d, -f1-2,4-6,8)"
# socket:inet until sockets are named by address, then "udp *"
check_match "leaks: the sockets' pattern" '^(socket:inet|udp \*)$' \
	"$(printf '%s\n' "$leaks" | cut -d, -f7)"

check "leaks-at-exit: nothing" "" "$(report leaks-at-exit)"
# what it left out: fds dup2'd onto stdio, open at exit: in the command's
# shell and in the pipeline's subshell, stdin (the fifo, the pipe) and
# stdout (restored after `echo >FILE`, by dup2 from a saved copy)
check "the trace holds 4 stdio redirections open at exit" 4 \
	"$(sql "$db" "SELECT count(*) FROM fds WHERE closed_how = 'exit' AND fd <= 2
		AND how NOT IN ('snapshot', 'inherited')")"

# --- a shell's fd on its script: not a leak ---
# bash keeps the script it runs on fd 255, dash on fd 10 or above (both
# close-on-exec), until exit; leaks-at-exit leaves those out. The script
# leaks fd 7 on itself, in bash fd 13 too: inheritable, its own doing,
# listed. Each run lists its /proc/PID/fd (the independent count).
if have bash bash && have dash dash; then
	cat >"$tmp/leaky.sh" <<'EOF'
#!/bin/sh
exec 7<"$0"
if [ -n "${BASH_VERSION-}" ]; then exec 13<"$0"; fi
for f in /proc/$$/fd/*; do
	echo "$$ ${f##*/} $(readlink "$f")"
done >"$1"
EOF
	chmod +x "$tmp/leaky.sh"
	# run as `bash FILE`, `dash FILE` and by its #! line (/bin/sh ./FILE)
	(cd "$tmp" && "$RECORD" -o s.bpfrec -- \
		sh -c 'bash leaky.sh bash.fds; dash leaky.sh dash.fds; ./leaky.sh exec.fds' \
		2>"$tmp/record.err")
	check "scripts: record exits 0" 0 $?
	script=$tmp/leaky.sh
	pid_of() { sed -n '1s/ .*//p' "$tmp/$1.fds"; } # pid_of RUN
	own_fd() { # own_fd RUN: the fd other than 7 and 13 on the script in /proc/PID/fd
		awk -v s="$script" '$3 == s && $2 > 2 && $2 != 7 && $2 != 13 { print $2 }' \
			"$tmp/$1.fds"
	}
	for run in bash dash exec; do
		# what each shell holds on the script at its end (fds 0-2 aside)
		check "scripts, $run: fds on the script open at exit, as in /proc/PID/fd" \
			"$(awk -v s="$script" '$3 == s && $2 > 2 { print $2 }' "$tmp/$run.fds" |
				sort -n)" \
			"$(sql "$tmp/s.bpfrec" "SELECT fd FROM fds WHERE pid = $(pid_of $run)
				AND path = '$script' AND closed_how = 'exit' AND how <> 'inherited'
				AND fd > 2 ORDER BY fd")"
	done
	dash_fd=$(own_fd dash) exec_fd=$(own_fd exec)
	check "scripts: /proc/PID/fd: bash holds its script on fd 255, dash on one of 10 or above" \
		"255,yes,yes" "$(own_fd bash),$([ "${dash_fd:-0}" -ge 10 ] && echo yes),$(
			[ "${exec_fd:-0}" -ge 10 ] && echo yes)"
	# comm,how,processes,fds,pid,example
	check "scripts: leaks-at-exit lists fds 7 (and 13), not the shells' own" \
		"bash,dup2,1,2,$(pid_of bash),$script
dash,dup2,1,1,$(pid_of dash),$script
leaky.sh,dup2,1,1,$(pid_of exec),$script" \
		"$("$ANALYZE" report leaks-at-exit "$tmp/s.bpfrec" --format csv | tail -n +2 |
			cut -d, -f1-2,4-)"

	# The same script run by bash and dash still running at the end of the
	# trace (waiting for a sleep): leaks counts fds 7 (and 13) as growth,
	# not the shell's own fd on it. Each says when it is ready (mv), the
	# command ends when both are; their /proc/PID/fd is then listed.
	cat >"$tmp/live.sh" <<'EOF'
exec 7<"$0"
if [ -n "${BASH_VERSION-}" ]; then exec 13<"$0"; fi
sleep 600 &
echo "$$ $!" >"$1.tmp"
mv "$1.tmp" "$1"
wait
EOF
	(cd "$tmp" && "$RECORD" -o live.bpfrec -- sh -c 'bash live.sh bash.live &
		dash live.sh dash.live &
		until [ -s bash.live ] && [ -s dash.live ]; do sleep 0.05; done' 2>"$tmp/record.err")
	check "live scripts: record exits 0" 0 $?
	live=$(cat "$tmp/bash.live" "$tmp/dash.live")
	# pid,comm,fds_end,growth,how,fds: fds at the end as in /proc/PID/fd
	# without the shell's own on its script; growth 2 in bash, 1 in dash
	want=$(for run in bash dash; do
		g=1
		[ $run = bash ] && g=2
		pid=$(cut -d' ' -f1 "$tmp/$run.live")
		echo "$pid,$run,$(($(ls "/proc/$pid/fd" | wc -l) - 1)),$g,dup2,$g"
	done)
	check "live scripts: leaks counts fds 7 (and 13), not the shells' own" "$want" \
		"$("$ANALYZE" report leaks "$tmp/live.bpfrec" --format csv | tail -n +2 |
			cut -d, -f1-2,4-6,8 | sort -t, -k2,2)"
	kill $live 2>/dev/null
fi

finish
