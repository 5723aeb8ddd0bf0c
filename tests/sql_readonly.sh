#!/bin/sh
# `analyze sql` only reads: no statement given to it creates or changes a
# file (analyze/sqlguard.h). Each writing statement is refused with one
# line and exit 1, on a trace, on its database and on the writable
# in-memory database of a trace in a read-only directory; the directory
# listing (names, sizes, modes, times) is the same after as before. Reads,
# introspection pragmas (also table-valued: pragma_table_info(...)) and
# every report still work, and json_each()/json_tree(). No root needed (root
# gets the read-only directory from a bind mount).
set -u
ANALYZE=$2
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/bpfrec-sqlro.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"

cp "$src/tests/data/record-c-true.bpfrec" "$tmp/t.bpfrec"
cd "$tmp" || exit 1
check "import exits 0" 0 "$("$ANALYZE" import t.bpfrec 2>/dev/null; echo $?)"

listing() {
	find "$tmp" -printf '%p %s %m %T@\n' | sort
}

# refused NAME SQL MESSAGE [RUN]: analyze sql on the trace and on its
# database (RUN: a command prefix) exits 1 with MESSAGE, and no file changes
refused() {
	for input in t.bpfrec t.bpfrec.db; do
		before=$(listing)
		err=$(${4:-} "$ANALYZE" sql "$input" "$2" 2>&1 >/dev/null)
		check "$1 ($input): refused, exit 1" "analyze: SQL error: $3,1" "$err,$?"
		check "$1 ($input): no file created or changed" "$before" "$(listing)"
	done
}

refused "VACUUM INTO" "VACUUM INTO '$tmp/copy.db'" "VACUUM refused, analyze only reads: it writes"
refused "ATTACH" "ATTACH '$tmp/other.db' AS o" \
	"ATTACH refused, analyze only reads: ATTACH $tmp/other.db"
refused "PRAGMA user_version=5" "PRAGMA user_version=5" \
	"PRAGMA refused, analyze only reads: PRAGMA user_version = 5"
refused "PRAGMA journal_mode=wal" "PRAGMA journal_mode=wal" \
	"PRAGMA refused, analyze only reads: PRAGMA journal_mode = wal"
# (SQLite asks to UPDATE sqlite_master as it connects a pragma's table;
# only the read pragmas' are connected before the guard is on)
refused "table-valued pragma" "SELECT * FROM pragma_journal_mode('wal')" \
	"SELECT refused, analyze only reads: UPDATE sqlite_master"
refused "table-valued pragma, no argument" "SELECT * FROM pragma_journal_mode" \
	"SELECT refused, analyze only reads: UPDATE sqlite_master"
refused "table-valued pragma after a read one" \
	"SELECT * FROM pragma_table_info('meta'), pragma_locking_mode('exclusive')" \
	"SELECT refused, analyze only reads: UPDATE sqlite_master"
refused "CREATE TABLE" "CREATE TABLE z (a)" "CREATE refused, analyze only reads: INSERT sqlite_master"
refused "CREATE TEMP TABLE" "CREATE TEMP TABLE z AS SELECT 1" \
	"CREATE refused, analyze only reads: INSERT sqlite_temp_master"
refused "INSERT" "INSERT INTO meta VALUES ('k', 'v')" "INSERT refused, analyze only reads: INSERT meta"
refused "UPDATE" "UPDATE meta SET value = 'x'" "UPDATE refused, analyze only reads: UPDATE meta"
refused "load_extension" "SELECT load_extension('$tmp/none.so')" \
	"SELECT refused, analyze only reads: function load_extension"
refused "BEGIN" "BEGIN IMMEDIATE" "BEGIN refused, analyze only reads: TRANSACTION BEGIN"
refused "a write after a read" "SELECT 1; DELETE FROM meta" \
	"DELETE refused, analyze only reads: DELETE meta"

# what only reads still runs
check "PRAGMA table_info" "cid,name,type,notnull,dflt_value,pk
0,key,TEXT,0,,1
1,value,TEXT,0,,0" "$("$ANALYZE" sql t.bpfrec "PRAGMA table_info(meta)" --format csv)"
# their table-valued forms too: the first use in a connection, then in a
# join with another (each connects its table afresh)
check "pragma_table_info('syscalls')" "20" \
	"$(sql t.bpfrec "SELECT count(*) FROM pragma_table_info('syscalls')")"
check "pragma_table_xinfo, pragma_index_list, pragma_pragma_list joined" "2,1,1" \
	"$(sql t.bpfrec "SELECT (SELECT count(*) FROM pragma_table_xinfo('meta')) AS a,
		(SELECT count(*) FROM pragma_index_list('meta')) AS b,
		(SELECT count(*) FROM pragma_pragma_list WHERE name = 'table_info') AS c")"
check "pragma_index_info, pragma_foreign_key_list, pragma_function_list" "1,0,1" \
	"$(sql t.bpfrec "SELECT (SELECT count(*) FROM sqlite_schema s, pragma_index_info(s.name)
			WHERE s.name = 'sqlite_autoindex_meta_1') AS a,
		(SELECT count(*) FROM pragma_foreign_key_list('meta')) AS b,
		(SELECT count(*) FROM pragma_function_list WHERE name = 'printf') AS c")"
check "pragma_user_version" "$(sqlite3 t.bpfrec.db "PRAGMA user_version")" \
	"$(sql t.bpfrec "SELECT * FROM pragma_user_version")"
# json_each()/json_tree() connect their tables as the pragmas' do: only read
check "json_each, then json_tree, joined with itself and a pragma's" "3,4,6" \
	"$(sql t.bpfrec "SELECT (SELECT count(*) FROM json_each('[1,2,3]')) AS a,
		(SELECT count(*) FROM json_tree('{\"a\":[1,2]}')) AS b,
		(SELECT count(*) FROM json_each('[1,2,3]'), json_each('[1]') j,
			pragma_table_xinfo('meta') WHERE j.value = 1) AS c")"
check "json_each over a column" "$(sql t.bpfrec "SELECT count(*) FROM meta")" \
	"$(sql t.bpfrec "SELECT count(*) FROM meta, json_each(json_array(meta.key))")"
check "a recursive CTE and built-in functions" "6,3,1" \
	"$(sql t.bpfrec "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3)
		SELECT sum(x), printf('%d', 3), json_extract('{\"a\":1}', '\$.a') FROM c")"
# those over tracepoints on a trace that has them (tests/data/bio-sched.bpfrec)
cp "$src/tests/data/bio-sched.bpfrec" tp.bpfrec
"$ANALYZE" import tp.bpfrec 2>/dev/null
for r in $("$ANALYZE" reports | cut -d' ' -f1); do
	trace=t.bpfrec
	grep -q '^-- @needs ' "$src/queries/$r.sql" && trace=tp.bpfrec
	"$ANALYZE" report "$r" $trace >/dev/null 2>"$tmp/err"
	check "report $r runs" "0," "$?,$(cat "$tmp/err")"
done

# A trace in a directory we cannot write is imported into memory: a
# writable connection, which VACUUM INTO could copy anywhere.
mkdir ro
cp t.bpfrec ro/
if [ "$(id -u)" = 0 ]; then
	with_ro() {
		unshare -m sh -c 'mount --bind ro ro && mount -o remount,bind,ro ro && exec "$@"' \
			sh "$@"
	}
else
	chmod 555 ro
	with_ro() { "$@"; }
fi
before=$(listing)
err=$(with_ro "$ANALYZE" sql ro/t.bpfrec "VACUUM INTO '$tmp/copy-mem.db'" 2>&1 >/dev/null)
rc=$?
check "in-memory database: VACUUM INTO refused" \
	"analyze: SQL error: VACUUM refused, analyze only reads: it writes,1" \
	"$(printf '%s\n' "$err" | grep -v 'importing into memory'),$rc"
check "in-memory database: no file created" "$before" "$(listing)"

finish
