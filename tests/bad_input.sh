#!/bin/sh
# Bad input gets a clear one-line error and a non-zero exit, never a crash,
# and never loses data already recorded: bad flags, missing privileges,
# unwritable output, disk full, truncated/corrupt/hostile trace files, and a
# recorder killed with SIGKILL.
set -u
RECORD=$1 ANALYZE=$2 WORKLOAD=$3
tmp=$(mktemp -d /tmp/bpfrec-bad.XXXXXX)
trap 'umount "$tmp/small" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"

# expect_error NAME PATTERN CMD...: non-zero exit, not by a signal, and
# the first stderr line matches PATTERN.
expect_error() {
	name=$1 pat=$2
	shift 2
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	check "$name: exit status is an error, not a crash" "error" \
		"$([ $rc -ne 0 ] && [ $rc -lt 128 ] && echo error || echo "rc=$rc")"
	check_match "$name: message" "$pat" "$(head -n 1 "$tmp/err")"
}

# --- record: flags and environment (no BPF needed) ---
expect_error "record unknown flag" "^record: (unrecognized|invalid) option" "$RECORD" --bogus
expect_error "record unknown group" "^record: unknown group" "$RECORD" -e nosuch -a
expect_error "record no target" "^record: nothing to record" "$RECORD"
expect_error "record bad duration" "^record: invalid duration" "$RECORD" -a --duration -3
expect_error "record -a with -p" "^record: -a and -p" "$RECORD" -a -p 1
if have setpriv util-linux; then
	# a directory uid 65534 may write in: the -o checks pass, the BPF load fails
	chmod 711 "$tmp" && mkdir -m 1777 "$tmp/pub"
	expect_error "record unprivileged" "^record: .*(root|CAP_BPF|not permitted)" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$RECORD" -a --duration 0.1 -o "$tmp/pub/np.bpfrec"
fi

# --- analyze: flags and hostile files ---
expect_error "analyze unknown command" "^analyze: " "$ANALYZE" frobnicate
expect_error "analyze missing file" "^analyze: .*(No such file|cannot open)" "$ANALYZE" info "$tmp/none.bpfrec"
: >"$tmp/empty.bpfrec"
expect_error "analyze empty file" "^analyze: " "$ANALYZE" info "$tmp/empty.bpfrec"
echo "hello, I am not a trace" >"$tmp/text.bpfrec"
expect_error "analyze text file" "^analyze: " "$ANALYZE" import "$tmp/text.bpfrec"
head -c 100000 /dev/urandom >"$tmp/random.bpfrec"
expect_error "analyze random bytes" "^analyze: " "$ANALYZE" import "$tmp/random.bpfrec"
expect_error "analyze directory" "^analyze: " "$ANALYZE" info "$tmp"
expect_error "analyze unknown report" "^analyze: .*report" "$ANALYZE" report no-such-report "$tmp/text.bpfrec"

skip_unless_bpf

# --- a real trace, then damaged copies of it ---
"$RECORD" -o "$tmp/good.bpfrec" -z 0 -- "$WORKLOAD" --child 0 2>/dev/null
good_rows=$(sql "$tmp/good.bpfrec" "SELECT count(*) FROM syscalls")
check "good trace has syscalls" "yes" "$([ "${good_rows:-0}" -gt 0 ] && echo yes || echo "no: $good_rows")"

# The block layout of the good trace: a 24-byte file header, then blocks of
# a 24-byte header and stored_len (at +12) bytes.
size=$(stat -c %s "$tmp/good.bpfrec")
stored_len() {
	od -An -tu4 -j $(($1 + 12)) -N4 "$tmp/good.bpfrec" | tr -d ' '
}
first_len=$(stored_len 24)
last=24 nblocks=1
while [ $((last + 24 + $(stored_len $last))) -lt "$size" ]; do
	last=$((last + 24 + $(stored_len $last))) nblocks=$((nblocks + 1))
done
last_len=$(stored_len $last)
check "good trace: blocks end at its end" "$size" "$((last + 24 + last_len))"

# import_damaged NAME EXPECTED: import $bad; EXPECTED is "exit status|stderr"
# without the success line "imported N records ...".
bad="$tmp/bad.bpfrec"
import_damaged() {
	"$ANALYZE" import "$bad" -o "$tmp/bad.db" >/dev/null 2>"$tmp/err"
	rc=$?
	check "$1" "$2" "$rc|$(grep -v '^analyze: imported ' "$tmp/err")"
}

# Truncated: an error, or the good blocks before the cut and a warning.
salvaged="; salvaged the $((nblocks - 1)) good blocks before it"
for cut_expected in \
	"1|1|analyze: $bad: not a bpfrec trace (bad magic)" \
	"23|1|analyze: $bad: truncated file header" \
	"24|1|analyze: $bad: no complete block (recording ended before any data)" \
	"25|1|analyze: $bad: no complete block: block at offset 24: truncated block header" \
	"47|1|analyze: $bad: no complete block: block at offset 24: truncated block header" \
	"$((48 + first_len / 2))|1|analyze: $bad: no complete block: block at offset 24: truncated block ($((first_len / 2)) of $first_len bytes)" \
	"$last|0|analyze: warning: $bad: no STOP block: the recorder did not stop cleanly; using everything written before" \
	"$((last + 23))|0|analyze: warning: $bad: block at offset $last: truncated block header$salvaged" \
	"$((size - 1))|0|analyze: warning: $bad: block at offset $last: truncated block ($((last_len - 1)) of $last_len bytes)$salvaged"
do
	cut=${cut_expected%%|*}
	head -c "$cut" "$tmp/good.bpfrec" >"$bad"
	rm -f "$tmp/bad.db"
	import_damaged "truncated at $cut bytes" "${cut_expected#*|}"
done

# flip_byte OFFSET: complement one byte of a copy of the good trace
flip_byte() {
	cp "$tmp/good.bpfrec" "$bad"
	byte=$(od -An -tu1 -j "$1" -N1 "$bad" | tr -d ' ')
	printf "\\$(printf %o $((255 - byte)))" | dd of="$bad" bs=1 seek="$1" conv=notrunc 2>/dev/null
	rm -f "$tmp/bad.db"
}

# One flipped byte: the CRC catches it; the blocks before it are kept.
flip_byte $((last + 24 + last_len / 2))
import_damaged "flipped byte in the last block: CRC warning" \
	"0|analyze: warning: $bad: block at offset $last: CRC mismatch$salvaged"
check "flipped byte in the last block: the syscalls before it are kept" "$good_rows" \
	"$(sql "$tmp/bad.db" "SELECT count(*) FROM syscalls")"
flip_byte $((24 + 24 + first_len / 2))
import_damaged "flipped byte in the first block: CRC error" \
	"1|analyze: $bad: no complete block: block at offset 24: CRC mismatch"

# hostile: a valid header followed by a block claiming 4 GiB
{ head -c 24 "$tmp/good.bpfrec"; printf 'FBLK\002\000\000\000\377\377\377\377\377\377\377\377\001\000\000\000\000\000\000\000'; } >"$tmp/huge.bpfrec"
expect_error "hostile block size" "^analyze: .*: block of kind 2: 4294967295 bytes decoded, 4294967295 stored: over the 4 MiB limit of its kind$" \
	"$ANALYZE" import "$tmp/huge.bpfrec" -o "$tmp/huge.db"

# --- output problems ---
expect_error "record unwritable output" "^record: cannot create" "$RECORD" -o /nonexistent/dir/x.bpfrec -- true
mkdir -p "$tmp/small"
mount -t tmpfs -o size=256k tmpfs "$tmp/small" 2>"$tmp/err"
check "disk full: a 256k tmpfs mounts" "0" "$?$(head -n 1 "$tmp/err")"
if mountpoint -q "$tmp/small"; then
	"$RECORD" -z 0 -o "$tmp/small/full.bpfrec" -a --duration 5 >/dev/null 2>"$tmp/full.err" &
	rpid=$!
	wait_for_line "$tmp/full.err" "^record: recording"
	# enough syscalls to overflow 256k within the duration
	"$WORKLOAD" --child 0 >/dev/null; dd if=/dev/zero of=/dev/null bs=1 count=200000 2>/dev/null
	wait $rpid
	rc=$?
	check "disk full: record exits non-zero" "yes" "$([ $rc -ne 0 ] && [ $rc -lt 128 ] && echo yes || echo "rc=$rc")"
	check_match "disk full: message" "^record: writing .*No space left on device" "$(cat "$tmp/full.err")"
	"$ANALYZE" info "$tmp/small/full.bpfrec" >"$tmp/info" 2>"$tmp/err"
	check "disk full: blocks written before are readable" 0 $?
	umount "$tmp/small"
fi

# --- a recorder killed with SIGKILL keeps what it wrote ---
"$RECORD" -o "$tmp/killed.bpfrec" -a >/dev/null 2>"$tmp/killed.err" &
rpid=$!
wait_for_line "$tmp/killed.err" "^record: recording"
for i in 1 2 3; do "$WORKLOAD" --child 0; done
# written_execs: the three execs in what the recorder has written so far
# (it writes at least once a second)
written_execs() {
	cp "$tmp/killed.bpfrec" "$tmp/partial.bpfrec"
	rm -f "$tmp/partial.db"
	"$ANALYZE" import "$tmp/partial.bpfrec" -o "$tmp/partial.db" >/dev/null 2>&1 &&
		[ "$(sql "$tmp/partial.db" "$execs")" = 3 ]
}
execs="SELECT count(*) FROM process_events WHERE type = 'exec' AND filename = '$WORKLOAD'"
wait_until 30 "the workload execs written to $tmp/killed.bpfrec" written_execs
kill -9 $rpid
wait $rpid 2>/dev/null
"$ANALYZE" import "$tmp/killed.bpfrec" -o "$tmp/killed.db" >/dev/null 2>"$tmp/err"
check "killed recorder: import succeeds" 0 $?
check_match "killed recorder: warns of the missing stop record" "^analyze: .*(stop|STOP)" "$(cat "$tmp/err")"
check "killed recorder: events before the kill are kept" 3 "$(sql "$tmp/killed.db" "$execs")"

finish
