#!/bin/sh
# The files analyze reads and writes (issue 9, items 4, 5, 8, 9, 10), on
# the committed trace tests/data/record-c-true.bpfrec: -o never overwrites
# what is not a database of ours (the trace itself, a symlink, another
# file); every file it writes is 0600, a database of ours it reuses is
# made 0600, and no other file is opened for writing (strace); a FIFO never hangs a command; an interrupted import
# leaves no temporary file and a dead one's is removed by the next; the
# database follows the trace's content and a damaged one is imported
# again. No root or BPF needed.
set -u
ANALYZE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/bpfrec-files.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
have strace strace || { finish; exit 1; }

# stderr_rc CMD...: the stderr of CMD, a comma, its exit status
stderr_rc() {
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	printf '%s,%s' "$err" "$rc"
}

# traced CMD...: strace CMD; LeakSanitizer (an ASan build) cannot run under ptrace
traced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq "$@"
}

orig=$src/tests/data/record-c-true.bpfrec
cd "$tmp" || exit 1
umask 022
cp "$orig" t.bpfrec
syscalls() { sql "$1" "SELECT count(*) FROM syscalls"; }

# --- item 4: -o writes only over a database of ours ---
check "-o the trace: refused, exit 1" \
	"analyze: t.bpfrec: refusing to overwrite t.bpfrec: it is the trace,1" \
	"$(stderr_rc "$ANALYZE" import t.bpfrec -o t.bpfrec)"
check "-o the trace: the trace intact" "" "$(cmp t.bpfrec "$orig")"
ln t.bpfrec hard.bpfrec
check "-o a hard link of the trace: refused" \
	"analyze: t.bpfrec: refusing to overwrite hard.bpfrec: it is the trace,1" \
	"$(stderr_rc "$ANALYZE" import t.bpfrec -o hard.bpfrec)"
rm hard.bpfrec
echo "keep me" >notes.txt
check "-o another file: refused" \
	"analyze: t.bpfrec: refusing to overwrite notes.txt: not a database made by analyze,1" \
	"$(stderr_rc "$ANALYZE" import t.bpfrec -o notes.txt)"
check "-o another file: intact" "keep me" "$(cat notes.txt)"
ln -s notes.txt link.db
check "-o a symlink: refused" \
	"analyze: t.bpfrec: refusing to write link.db: a symbolic link,1" \
	"$(stderr_rc "$ANALYZE" import t.bpfrec -o link.db)"
check "-o a symlink: it and its target intact" "notes.txt,keep me" \
	"$(readlink link.db),$(cat notes.txt)"
sqlite3 other.db "CREATE TABLE meta (key TEXT, value TEXT)"
check "-o a database not ours: refused" \
	"analyze: t.bpfrec: refusing to overwrite other.db: not a database made by analyze,1" \
	"$(stderr_rc "$ANALYZE" import t.bpfrec -o other.db)"
"$ANALYZE" import t.bpfrec -o out.db 2>/dev/null
check "-o a database of ours: replaced, exit 0" "0,29" \
	"$("$ANALYZE" import t.bpfrec -o out.db 2>/dev/null; echo $?),$(syscalls out.db)"
check "our database is marked: application_id 'BPFR'" 1112557138 \
	"$(sqlite3 out.db "PRAGMA application_id")"
# an older analyzer's database (no application_id) is still ours
sqlite3 out.db "PRAGMA application_id = 0"
check "-o an older database of ours (meta analyzer_build): replaced" 0 \
	"$("$ANALYZE" import t.bpfrec -o out.db 2>/dev/null; echo $?)"
# TRACE.db taken by a foreign file: left alone, the report still runs
mkdir foreign && cp "$orig" foreign/t.bpfrec && echo "mine" >foreign/t.bpfrec.db
check "TRACE.db not ours: left alone, imported into memory" \
	"analyze: refusing to overwrite foreign/t.bpfrec.db: not a database made by analyze; importing into memory,0" \
	"$(stderr_rc "$ANALYZE" sql foreign/t.bpfrec "SELECT 1")"
check "TRACE.db not ours: intact" "mine" "$(cat foreign/t.bpfrec.db)"

# --- item 5: 0600, and no other file opened for writing ---
rm -f out.db t.bpfrec.db
traced -o strace.txt -e trace=open,openat,creat,rename \
	"$ANALYZE" report top-syscalls t.bpfrec >/dev/null 2>&1
# (a coverage build's own .gcda files aside)
check "files opened for writing: the temporary file only, created 0600" \
	"t.bpfrec.db.tmpPID O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC 0600
$tmp/t.bpfrec.db.tmpPID O_RDWR|O_NOFOLLOW|O_CLOEXEC" \
	"$(grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(' strace.txt | grep -v '\.gcda"' |
		sed -E 's/^[0-9]+ +//; s/tmp[0-9]+/tmpPID/; s/^open(at)?\((AT_FDCWD, )?"([^"]*)", ([A-Z_|]*)(, ([0-7]+))?\).*/\3 \4 \6/; s/ $//')"
check "then renamed" 'rename("t.bpfrec.db.tmpPID", "t.bpfrec.db") = 0' \
	"$(grep rename strace.txt | sed -E 's/^[0-9]+ +//; s/tmp[0-9]+/tmpPID/')"
"$ANALYZE" import t.bpfrec -o out.db 2>/dev/null
check "TRACE.db and -o databases: 0600 under umask 022" "600 600" \
	"$(stat -c %a t.bpfrec.db) $(stat -c %a out.db)"
# a database an older analyzer left 0644: made 0600 when reused (not
# imported again: the same inode), through the open fd, never by path
chmod 644 t.bpfrec.db
before=$(stat -c %i t.bpfrec.db)
traced -o strace.txt -e trace=/chmod \
	"$ANALYZE" sql t.bpfrec "SELECT 1" >/dev/null 2>err
check "a 0644 TRACE.db reused: 0600, the same file, nothing said" "600 $before " \
	"$(stat -c '%a %i' t.bpfrec.db) $(cat err)"
check "a 0644 TRACE.db reused: fchmod on its fd, once" "fchmod(N, 0600) = 0" \
	"$(sed -E 's/^[0-9]+ +//; s/fchmod\([0-9]+,/fchmod(N,/; s/ +=/ =/' strace.txt | grep -v '^+++')"
traced -o strace.txt -e trace=/chmod \
	"$ANALYZE" sql t.bpfrec "SELECT 1" >/dev/null 2>&1
check "a 0600 TRACE.db reused: no chmod" "" "$(grep -v '^[0-9]* *+++' strace.txt)"
# another user's database (root reusing it): its owner's to set, left alone
if [ "$(id -u)" = 0 ]; then
	chown nobody t.bpfrec.db && chmod 644 t.bpfrec.db
	check "another user's 0644 TRACE.db reused: left 0644" "0,644 $before" \
		"$("$ANALYZE" sql t.bpfrec "SELECT 1" >/dev/null 2>&1; echo $?),$(stat -c '%a %i' t.bpfrec.db)"
	chown 0 t.bpfrec.db && chmod 600 t.bpfrec.db
fi

# --- item 8: only regular files; a FIFO never blocks ---
mkfifo fifo
nreg="not a regular file (only regular files are read)"
for cmd in "info fifo" "report top-syscalls fifo" "sql fifo x" "import fifo"; do
	# shellcheck disable=SC2086
	check "a FIFO: analyze $cmd refuses at once" "analyze: fifo: $nreg,1" \
		"$(stderr_rc timeout 10 "$ANALYZE" $cmd)"
done
check "a FIFO as -o: refused at once" \
	"analyze: t.bpfrec: refusing to write fifo: not a regular file,1" \
	"$(stderr_rc timeout 10 "$ANALYZE" import t.bpfrec -o fifo)"
mkfifo fifo.bpfrec.db
cp "$orig" fifo.bpfrec
check "a FIFO as TRACE.db: left alone, imported into memory" \
	"analyze: refusing to write fifo.bpfrec.db: not a regular file; importing into memory,0" \
	"$(stderr_rc timeout 10 "$ANALYZE" sql fifo.bpfrec "SELECT 1")"
check "a directory: refused" "analyze: $tmp: $nreg,1" \
	"$(stderr_rc "$ANALYZE" info "$tmp")"

# --- item 9: temporary files of interrupted imports ---
rm -f t.bpfrec.db
# strace delivers the signal as the reader opens the trace, the second open
# of it (after the fingerprint's), once the temporary file exists: the
# SIGKILL below, which leaves the file, shows that it does
interrupt() { # interrupt SIG: analyze import t.bpfrec, so interrupted
	traced -o /dev/null -P t.bpfrec -e trace=openat \
		-e inject=openat:signal="$1":when=2 "$ANALYZE" import t.bpfrec 2>/dev/null
}
for sig in INT:130 TERM:143 HUP:129; do
	interrupt "${sig%:*}"
	check "SIG${sig%:*} during import: dies of it, no file left" "${sig#*:},t.bpfrec" \
		"$?,$(ls t.bpfrec*)"
done
# a SIGKILL leaves one, which the next import removes: its pid is gone and
# nobody holds its lock
interrupt KILL
check "SIGKILL during import: the temporary file stays" 1 "$(ls t.bpfrec.db.tmp* | wc -l)"
# pids above PID_MAX_LIMIT (2^22) are never alive
head -c 131072 /dev/zero >t.bpfrec.db.tmp9999991 # page 1 not yet written
: >t.bpfrec.db.tmp9999992 # nothing written yet
echo "not ours" >t.bpfrec.db.tmp9999993
: >t.bpfrec.db.tmp9999994x
: >t.bpfrec.db.tmp$$ # a live pid
ln -s notes.txt t.bpfrec.db.tmp9999995
: >t.bpfrec.db.tmp9999996
# held by a process kill cannot name (another pid namespace, a reused pid)
sh -c 'exec 9>>t.bpfrec.db.tmp9999996 && flock 9 && exec sleep 60' >/dev/null 2>&1 &
locker=$!
wait_until 10 "the lock is taken" sh -c '! flock -n t.bpfrec.db.tmp9999996 true'
"$ANALYZE" import t.bpfrec 2>/dev/null
check "next import: removes the dead imports' files, keeps the rest" \
	"t.bpfrec
t.bpfrec.db
t.bpfrec.db.tmp$$
t.bpfrec.db.tmp9999993
t.bpfrec.db.tmp9999994x
t.bpfrec.db.tmp9999995
t.bpfrec.db.tmp9999996" "$(ls t.bpfrec* | LC_ALL=C sort)"
kill "$locker"
wait "$locker" 2>/dev/null
rm -f t.bpfrec.db.tmp*

# --- item 10: the database follows the trace's content ---
ino() { stat -c %i t.bpfrec.db; }
before=$(ino)
touch t.bpfrec
check "touched trace, same content: the database reused" "29,$before" "$(syscalls t.bpfrec),$(ino)"
# damage the STOP block (the file's last bytes), then put the mtime back
touch -r t.bpfrec ref
printf '\377\377\377\377' | dd of=t.bpfrec bs=1 seek=5461 conv=notrunc 2>/dev/null
touch -r ref t.bpfrec
check "trace damaged in place, mtime restored: imported again (salvage warning)" \
	"analyze: warning: t.bpfrec: block at offset 5280: CRC mismatch; salvaged the 2 good blocks before it,0" \
	"$(stderr_rc "$ANALYZE" sql t.bpfrec "SELECT 1")"
cp "$orig" t.bpfrec
syscalls t.bpfrec >/dev/null 2>&1
# a page of syscall_rows overwritten: found at the query, imported again,
# the query run again with nothing printed twice
page() { # page TABLE: the byte offset of its root page
	sqlite3 t.bpfrec.db "SELECT (rootpage - 1) * (SELECT page_size FROM pragma_page_size)
		FROM sqlite_schema WHERE name = '$1'"
}
damage() { # damage OFFSET
	head -c 4096 /dev/zero | tr '\0' '\377' | dd of=t.bpfrec.db bs=4096 seek=$(($1 / 4096)) \
		conv=notrunc 2>/dev/null
}
damage "$(page syscall_rows)"
check "the damage is real: sqlite3 sees it (SQLITE_CORRUPT)" 11 \
	"$(sqlite3 t.bpfrec.db "SELECT count(*) FROM syscall_rows" >/dev/null 2>&1; echo $?)"
out=$("$ANALYZE" sql t.bpfrec "SELECT count(*) AS n FROM syscalls" --format csv 2>err)
check "damaged at the query: imported again, exit 0" 0 $?
check "damaged at the query: the notice" \
	"analyze: t.bpfrec.db is damaged; importing t.bpfrec again" "$(cat err)"
check "damaged at the query: the answer once" "n
29" "$out"
check "damaged at the query: the new database is sound" ok "$(sqlite3 t.bpfrec.db "PRAGMA integrity_check")"
damage "$(page meta)"
check "damaged where it is checked (meta): imported again" \
	"analyze: t.bpfrec.db is damaged; importing t.bpfrec again,0,29" \
	"$(stderr_rc "$ANALYZE" sql t.bpfrec "SELECT 1"),$(syscalls t.bpfrec 2>&1)"
damage "$(page syscall_rows)"
check "a damaged database given directly: the error and what to do, exit 1" \
	"analyze: database disk image is malformed (the database is damaged: import its trace again),1" \
	"$(stderr_rc "$ANALYZE" sql t.bpfrec.db "SELECT count(*) FROM syscalls")"

finish
