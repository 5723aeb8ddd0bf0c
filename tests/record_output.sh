#!/bin/sh
# record -o writes only a file it creates: never through a symbolic link
# (to a file or dangling), never into a FIFO, device or directory; a
# regular file already there is kept as FILE.old (an older FILE.old is
# replaced, as perf record does), an empty one is replaced; the new file is mode 0600 whatever the
# umask. Refusals exit 125 with one line and touch nothing.
set -u
RECORD=$1 ANALYZE=$2
tmp=$(mktemp -d /tmp/bpfrec-output.XXXXXX)
trap 'umount "$tmp/ro" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
cd "$tmp" || exit 1

# refused NAME FILE WHY: record -o FILE fails, exit 125, with
# "record: cannot create FILE: WHY" (before the BPF load: no root needed).
# The timeout only bounds a record that would block on a FIFO.
refused() {
	timeout 10 "$RECORD" -o "$2" -a --duration 0.1 >/dev/null 2>"$tmp/err"
	check "$1" "125|record: cannot create $2: $3" "$?|$(cat "$tmp/err")"
}

# what a path is: type, mode, content (a FIFO or a link is not read)
describe() {
	if [ -L "$1" ]; then
		echo "link to $(readlink "$1")"
	elif [ -p "$1" ]; then
		echo "fifo $(stat -c %a "$1")"
	elif [ -e "$1" ]; then
		echo "$(stat -c '%F %a' "$1"): $(cat "$1" 2>/dev/null)"
	else
		echo absent
	fi
}

echo precious >secret
chmod 644 secret
ln -s secret link.bpfrec
refused "a symbolic link to a file" link.bpfrec "it is a symbolic link (not followed)"
check "the link's target is untouched: content and mode" "regular file 644: precious" \
	"$(describe secret)"
check "the link stays" "link to secret" "$(describe link.bpfrec)"
check "no .old made of the link" absent "$(describe link.bpfrec.old)"

ln -s nowhere dangling.bpfrec
refused "a dangling symbolic link" dangling.bpfrec "it is a symbolic link (not followed)"
check "the dangling link's target is not created" absent "$(describe nowhere)"

mkfifo fifo.bpfrec
refused "a FIFO, without blocking" fifo.bpfrec "it is a FIFO, not a regular file"
check "the FIFO stays" "fifo 644" "$(describe fifo.bpfrec)"
mkdir dir.bpfrec
refused "a directory" dir.bpfrec "it is a directory, not a regular file"
# a device of our own (were /dev/null ever a plain file, a test must not move it)
mknod -m 666 null.bpfrec c 1 3
refused "a device" null.bpfrec "it is a character device, not a regular file"
check "the device stays" "character special file 666" "$(stat -c '%F %a' null.bpfrec)"
refused "a missing directory" no/such/t.bpfrec "directory no/such: No such file or directory"

skip_unless_bpf

# record_to FILE: record `true` into FILE; its exit status
record_to() {
	"$RECORD" -e process -o "$1" -- true >/dev/null 2>"$tmp/err"
}

printf 'an older trace\n' >t.bpfrec
chmod 644 t.bpfrec
record_to t.bpfrec
check "an existing file: recorded" 0 $?
check "the existing file is kept as t.bpfrec.old, content and mode" \
	"regular file 644: an older trace" "$(describe t.bpfrec.old)"
check "the new trace is mode 0600 and a trace" "600 BPFREC" \
	"$(stat -c %a t.bpfrec) $(head -c 6 t.bpfrec)"
cp t.bpfrec first.copy
record_to t.bpfrec
check "a second run: the first trace becomes t.bpfrec.old, replacing the older one" same \
	"$(cmp -s first.copy t.bpfrec.old && echo same || echo differs)"

# an empty FILE (a failed run, a touch) is replaced, not kept: the
# FILE.old from before stays
cp t.bpfrec.old before.copy
: >t.bpfrec
record_to t.bpfrec
check "an empty FILE: recorded" 0 $?
check "an empty FILE: replaced by a trace, mode 0600" "600 BPFREC" \
	"$(stat -c %a t.bpfrec) $(head -c 6 t.bpfrec)"
check "an empty FILE: FILE.old not replaced by it" same \
	"$(cmp -s before.copy t.bpfrec.old && echo same || echo differs)"
rm t.bpfrec.old
: >t.bpfrec
record_to t.bpfrec
check "an empty FILE, no FILE.old: none made" absent "$(describe t.bpfrec.old)"

# a link planted as FILE.old is replaced, not written through
rm t.bpfrec.old
ln -s secret t.bpfrec.old
record_to t.bpfrec
check "a link at FILE.old: replaced by the old trace" "regular file 600" \
	"$(stat -c '%F %a' t.bpfrec.old)"
check "a link at FILE.old: its target untouched" "regular file 644: precious" \
	"$(describe secret)"

# a directory at FILE.old: FILE is kept where it is
rm t.bpfrec.old
mkdir t.bpfrec.old
cp t.bpfrec second.copy
record_to t.bpfrec
check "a directory at FILE.old: refused" \
	"125|record: cannot create t.bpfrec: keeping the file there as t.bpfrec.old: Is a directory" \
	"$?|$(cat "$tmp/err")"
check "a directory at FILE.old: FILE untouched" same \
	"$(cmp -s second.copy t.bpfrec && echo same || echo differs)"
rmdir t.bpfrec.old

# the umask takes no bit: exactly 0600
rm -f t.bpfrec
(umask 0277 && record_to t.bpfrec)
check "under umask 0277: mode 0600" 600 "$(stat -c %a t.bpfrec)"

# how the file is made, seen by strace: moved aside, then created
# exclusively (nothing planted at FILE in between is written through)
# (LeakSanitizer cannot run under ptrace: off for this run in a sanitized build)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	strace -f -qq -e trace=rename,renameat,renameat2,openat -o strace.out \
	"$RECORD" -e process -o t.bpfrec -- true >/dev/null 2>&1
check_match "strace: the old file renamed" \
	'rename(at2?)?\((AT_FDCWD, )?"t.bpfrec", (AT_FDCWD, )?"t.bpfrec.old"(, 0)?\) = 0' \
	"$(cat strace.out)"
check_match "strace: created with O_EXCL|O_NOFOLLOW, mode 0600" \
	'openat\(AT_FDCWD, "t.bpfrec", O_WRONLY\|O_CREAT\|O_EXCL\|O_NOFOLLOW\|O_CLOEXEC, 0600\) = [0-9]+$' \
	"$(cat strace.out)"
check "strace: t.bpfrec opened once" 1 "$(grep -c 'openat(AT_FDCWD, "t.bpfrec"' strace.out)"

# a directory that cannot be written: refused before anything is moved
mkdir ro
if mount -t tmpfs -o size=64k tmpfs ro 2>"$tmp/err"; then
	echo kept >ro/t.bpfrec
	mount -o remount,ro ro
	refused "a read-only directory" ro/t.bpfrec "directory ro: Read-only file system"
	check "a read-only directory: the file stays" "regular file 644: kept" \
		"$(describe ro/t.bpfrec)"
	umount ro
else
	check "a tmpfs mounts" "" "$(cat "$tmp/err")"
fi

finish
