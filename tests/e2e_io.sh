#!/bin/sh
# End to end, bytes per fd and names per event, against strace -f and the
# workloads' own counts (issue 8): a shell pipeline's exact bytes per pipe
# end (files report), the two-fd calls (sendfile, copy_file_range, splice,
# tee, vmsplice) counted on both fds, and --comm matching the name a
# process had at the time of each call.
set -u
RECORD=$1 ANALYZE=$2 IOCALLS=$3
tmp=$(mktemp -d /tmp/bpfrec-e2e-io.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
skip_unless_bpf
have strace strace || { finish; exit 1; }

report() { # report NAME TRACE ARGS...: CSV rows without the header
	rp_name=$1 rp_trace=$2
	shift 2
	"$ANALYZE" report "$rp_name" "$rp_trace" --format csv "$@" | tail -n +2
}

# strace_pipe_bytes DIR: "comm pipe_read pipe_written" per process of the
# per-process strace -ff -y files in DIR (stdin/stdout lines annotated
# <pipe:[inode]>), ordered by comm
strace_pipe_bytes() {
	for f in "$1"/st.*; do
		awk '
		/^execve\(/ && / = 0$/ { n = $0; sub(/^execve\("/, "", n); sub(/".*/, "", n)
			sub(/.*\//, "", n); comm = n }
		/^read\([0-9]+<pipe:/ && / = [0-9]+$/ { r += $NF }
		/^write\([0-9]+<pipe:/ && / = [0-9]+$/ { w += $NF }
		END { print comm, r + 0, w + 0 }' "$f"
	done | sort
}

# --- files: every pipe end of a pipeline, exact bytes per process --------
pipeline='head -c 100000 /dev/zero | cat | wc -c'
"$RECORD" -o "$tmp/p.bpfrec" -- sh -c "$pipeline" >/dev/null 2>"$tmp/record.err"
check "pipeline recorded" 0 $?
mkdir "$tmp/st"
strace -f -ff -qq -y -e trace=execve,read,write -o "$tmp/st/st" sh -c "$pipeline" >/dev/null
# the workload's own counts: head writes 100000 bytes, cat reads and writes
# them, wc reads them; sh moves no data through a pipe
want="cat 100000 100000
head 0 100000
sh 0 0
wc 100000 0"
check "strace -f agrees with the workload's counts" "$want" "$(strace_pipe_bytes "$tmp/st")"
# files: one row per process and pipe end; summed per process
got=$(report files "$tmp/p.bpfrec" | awk -F, '
	{ comm[$1] = $2 }
	$3 ~ /^pipe:/ { r[$1] += $6; w[$1] += $8 }
	END { for (p in comm) print comm[p], r[p] + 0, w[p] + 0 }' | sort)
check "files: bytes through pipes per process, as strace -f" "$want" "$got"

# --- files: the two-fd calls count on both fds ---------------------------
mkdir "$tmp/io"
"$RECORD" -o "$tmp/io.bpfrec" -- "$IOCALLS" "$tmp/io" 2>"$tmp/record.err"
check "iocalls recorded (the workload checks each call's count)" 0 $?
# strace: each call's return, in order
check "strace -f: the calls move what the workload says" \
	"sendfile=1000 copy_file_range=2000 splice=3000 tee=400 splice=400 splice=3000 vmsplice=500 vmsplice=500" \
	"$(strace -f -qq -e trace=sendfile,copy_file_range,splice,tee,vmsplice "$IOCALLS" "$tmp/io" 2>&1 |
		sed -n 's/^\([a-z_]*\)(.* = \([0-9]*\)$/\1=\2/p' | tr '\n' ' ' | sed 's/ $//')"
files=$(report files "$tmp/io.bpfrec")
io_row() { # io_row FILE: "opens reads bytes_read writes bytes_written" of FILE
	printf '%s\n' "$files" | awk -F, -v p="$tmp/io/$1" '$3 == p { print $4, $5, $6, $7, $8 }'
}
# src.dat: the write, then read by sendfile (1000), copy_file_range (2000), splice (3000)
check "files: src.dat read by sendfile, copy_file_range, splice" "1 3 6000 1 10000" "$(io_row src.dat)"
check "files: sendfile.dat written by sendfile" "1 0 0 1 1000" "$(io_row sendfile.dat)"
check "files: cfr.dat written by copy_file_range" "1 0 0 1 2000" "$(io_row cfr.dat)"
check "files: tee.dat written by splice from the tee'd pipe" "1 0 0 1 400" "$(io_row tee.dat)"
check "files: splice.dat written by splice from a pipe" "1 0 0 1 3000" "$(io_row splice.dat)"
# pipes: A written by splice (3000), read by tee (400) and splice (3000);
# B written by tee, read by splice (400); C written and read by vmsplice (500)
check "files: pipe ends, summed: reads, bytes read, writes, bytes written" "4 4300 3 3900" \
	"$(printf '%s\n' "$files" | awk -F, '$3 ~ /^pipe:/ { r += $5; br += $6; w += $7; bw += $8 }
		END { print r + 0, br + 0, w + 0, bw + 0 }')"
check "files: vmsplice, a write on the write end, then a read on the read end" \
	"0 0 1 500 1 500 0 0" \
	"$(sql "$tmp/io.bpfrec" "SELECT f.reads, f.bytes_read, f.writes, f.bytes_written
		FROM syscalls_named s JOIN fds f ON f.id = s.fd_id WHERE s.name = 'vmsplice'
		ORDER BY s.ts" | tr ',\n' '  ' | sed 's/ $//')"

# --- --comm: the name at the time of each call ----------------------------
# sh writes once before it execs iocalls, which writes once and splices 3
# times; --comm iocalls must not count the shell's write
"$RECORD" -o "$tmp/c.bpfrec" -- sh -c "echo hi >/dev/null; exec $IOCALLS $tmp/io" 2>"$tmp/record.err"
check "sh; exec iocalls recorded" 0 $?
mkdir "$tmp/stc"
strace -f -ff -qq -e trace=execve,write,splice -o "$tmp/stc/st" sh -c "echo hi >/dev/null; exec $IOCALLS $tmp/io"
check "strace -f: one write before the exec, one write and 3 splices after" "1 1 3" \
	"$(awk '/^execve\(/ && / = 0$/ { n++ } /^write\(/ { w[n]++ } /^splice\(/ { s[n]++ }
		END { print w[1] + 0, w[2] + 0, s[2] + 0 }' "$tmp"/stc/st.*)"
calls() { # calls COMM SYSCALL: top-syscalls count of SYSCALL by COMM
	report top-syscalls "$tmp/c.bpfrec" --comm "$1" | awk -F, -v s="$2" '$1 == s { n += $4 } END { print n + 0 }'
}
check "top-syscalls --comm iocalls: its write, not the shell's" 1 "$(calls iocalls write)"
check "top-syscalls --comm sh: the write before the exec" 1 "$(calls sh write)"
check "top-syscalls --comm iocalls: 3 splices" 3 "$(calls iocalls splice)"
check "top-syscalls --comm sh: no splice" 0 "$(calls sh splice)"
check "syscall-latency --comm sh: the one write" 1 \
	"$(report syscall-latency "$tmp/c.bpfrec" --comm sh | awk -F, '$1 == "write" { n += $3 } END { print n + 0 }')"

# --- --comm in the per-event and per-fd reports --------------------------
# sh opens and reads a.txt itself (a redirection of the read builtin),
# tries cat along PATH, then execs cat, which reads b.dat and a.txt: each
# name must show exactly its own opens, failed execs and bytes, as strace -f
# splits them at the exec
printf 'hello\nworld\n' >"$tmp/a.txt"
head -c 3000 /dev/zero >"$tmp/b.dat"
shexec="read x < a.txt; exec cat b.dat a.txt"
(cd "$tmp" && "$RECORD" -o "$tmp/e.bpfrec" -- sh -c "$shexec" >/dev/null 2>"$tmp/record.err")
check "sh; exec cat recorded" 0 $?
mkdir "$tmp/ste"
(cd "$tmp" && strace -f -ff -qq -y -o "$tmp/ste/st" \
	-e trace=execve,open,openat,creat,read,pread64,readv,copy_file_range sh -c "$shexec" >/dev/null)
# by_name NAME: strace's calls of the process while it was NAME (sh until
# its exec of cat: the second successful execve)
by_name() {
	awk -v want="$1" '/^execve\(/ && / = 0$/ { n++ } { name = n < 2 ? "sh" : "cat" }
		name == want' "$tmp"/ste/st.*
}
# "path fd" of every open, fd -1 when it failed, in order
st_opens() {
	by_name "$1" | sed -n 's/^open[a-z]*(\(AT_FDCWD<[^>]*>, \)\{0,1\}"\([^"]*\)".* = \(-\{0,1\}[0-9]*\).*/\2 \3/p'
}
rp_opens() {
	report opensnoop "$tmp/e.bpfrec" --comm "$1" | awk -F, '{ print $8, $5 }'
}
check "strace: sh opened a.txt, cat b.dat then a.txt" "a.txt 3
b.dat 3
a.txt 3" "$(st_opens sh | grep -v ^/; st_opens cat | grep -v ^/)"
check "opensnoop --comm sh: exactly sh's opens, as strace -f" "$(st_opens sh)" "$(rp_opens sh)"
check "opensnoop --comm cat: exactly cat's opens, as strace -f" "$(st_opens cat)" "$(rp_opens cat)"
check "execsnoop --comm sh: the PATH search's failed execs, as strace -f" \
	"$(by_name sh | grep -c '^execve(.* = -1')" \
	"$(report execsnoop "$tmp/e.bpfrec" --comm sh | awk -F, '$6 != 0' | wc -l)"
# "opens reads bytes_read" of FILE by NAME; strace: every read-class call
# on an fd annotated <FILE>, bytes its positive returns
st_file() {
	by_name "$1" | awk -v p="$tmp/$2" '
		/^open/ && index($0, "<" p ">") { o++ }
		/^[a-z0-9_]*\([0-9]+</ && index($0, "<" p ">,") == index($0, "<") {
			r++; if ($NF > 0) b += $NF }
		END { print o + 0, r + 0, b + 0 }'
}
rp_file() {
	report files "$tmp/e.bpfrec" --comm "$1" | awk -F, -v p="$tmp/$2" '
		$3 == p { o += $4; r += $5; b += $6 } END { print o + 0, r + 0, b + 0 }'
}
check "strace: sh read a.txt a byte at a time" "1 6 6" "$(st_file sh a.txt)"
check "files --comm sh: a.txt, as strace -f" "$(st_file sh a.txt)" "$(rp_file sh a.txt)"
check "files --comm sh: not b.dat" "0 0 0" "$(rp_file sh b.dat)"
check "files --comm cat: a.txt, as strace -f" "$(st_file cat a.txt)" "$(rp_file cat a.txt)"
check "files --comm cat: b.dat, as strace -f" "$(st_file cat b.dat)" "$(rp_file cat b.dat)"
check "strace: cat read 3000 bytes of b.dat" 3000 "$(st_file cat b.dat | cut -d' ' -f3)"

# without the process group, the last known name, and a notice
"$RECORD" -e syscalls -o "$tmp/n.bpfrec" -- sh -c "echo hi >/dev/null; exec $IOCALLS $tmp/io" 2>"$tmp/record.err"
"$ANALYZE" report top-syscalls "$tmp/n.bpfrec" --comm nosuch >/dev/null 2>"$tmp/notice"
check "no process group: one notice on stderr" 1 "$(grep -c 'recorded without the process group: --comm matches' "$tmp/notice")"
"$ANALYZE" report top-syscalls "$tmp/c.bpfrec" --comm sh >/dev/null 2>"$tmp/notice"
check "with the process group: no notice" 0 "$(grep -c . "$tmp/notice")"
# no exec event: every open is under the name the snapshot saw (the recorder's child)
(cd "$tmp" && "$RECORD" -e syscalls -o "$tmp/ne.bpfrec" -- sh -c "$shexec" >/dev/null 2>"$tmp/record.err")
"$ANALYZE" report opensnoop "$tmp/ne.bpfrec" --comm record --format csv >"$tmp/ne.csv" 2>"$tmp/notice"
check "no process group: opensnoop says so" 1 "$(grep -c 'recorded without the process group: --comm matches' "$tmp/notice")"
check "no process group: opensnoop --comm record has all of sh's and cat's opens" \
	$(($(st_opens sh | wc -l) + $(st_opens cat | wc -l))) "$(tail -n +2 "$tmp/ne.csv" | wc -l)"

finish
