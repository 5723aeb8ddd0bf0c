-- Generic tracepoints (record -e SYSTEM:EVENT): each recorded tracepoint is
-- a table of its own, tp_<system>_<event> (characters other than letters,
-- digits and _ become _), laid out by the format the trace carries:
--   common_ts    INTEGER  CLOCK_MONOTONIC ns, like every ts
--   common_cpu   INTEGER
--   common_tgid  INTEGER  the process of the task the event fired in
--   common_tid   INTEGER  its thread (tracefs and perf: common_pid)
-- then one column per field of the format, under the field's own name (the
-- kernel's own common_* fields are left out):
--   integers          INTEGER, by the C type's signedness and width where the
--                     format's "signed:" flag and size disagree with it
--                     (syscalls' int dfd is signed:0, size:8, yet holds
--                     AT_FDCWD: -100). SQLite's integers are
--                     signed 64-bit: unsigned 64-bit values (kernel
--                     pointers, some counters) keep their bits and read
--                     negative from 2^63 on. Idioms: printf('%x', col) shows
--                     the value as the kernel prints it; ORDER BY col < 0, col
--                     sorts as unsigned; col = 0xffff888100000000 compares
--                     exactly (SQLite reads hex literals as 64-bit bits).
--   char[N]           TEXT, up to the first NUL
--   __data_loc char[] TEXT (a string the event carries, like exec's filename)
--   other arrays      BLOB (addresses such as __u8 saddr[4], __data_loc u64[])
-- The entry is copied up to 4096 bytes: a longer one is cut (tracepoints.truncated).

-- tracepoints: one row per recorded tracepoint.
CREATE TABLE tracepoints (
	id INTEGER PRIMARY KEY, -- kernel id on the recording host (tracefs ID)
	system TEXT,
	event TEXT,
	table_name TEXT, -- tp_<system>_<event>
	filter TEXT, -- current: the traced tasks' events | all: every task's (NAME@all)
	field_filter TEXT, -- its field filter (record -e 'NAME/EXPR/'), as compiled; NULL: none
	print_fmt TEXT, -- the kernel's print format, symbol tables included
	count INTEGER, -- rows in its table
	lost INTEGER, -- records lost in the kernel (ring buffer full)
	truncated INTEGER -- events longer than the copy bound, cut
);

-- tracepoint_fields: each recorded tracepoint's layout as its format gave it.
CREATE TABLE tracepoint_fields (
	tracepoint_id INTEGER,
	tracepoint TEXT, -- system:event
	idx INTEGER, -- order in the format
	field TEXT,
	type TEXT, -- C type as declared: "char[16]", "__data_loc char[]"
	offset INTEGER,
	size INTEGER,
	signed INTEGER, -- the format's signed: flag
	array_len INTEGER, -- elements of a TYPE NAME[N] field, -1: not an array
	data_loc INTEGER, -- 1: __data_loc/__rel_loc (offset and length of dynamic data)
	sql_type TEXT -- its column's type in the table; NULL: a common_* field, not a column
);

-- tracepoint_symbols: the names __print_symbolic and __print_flags give a
-- field's values in the print fmt (tcp states, softirq vectors...), from the
-- trace alone. kind: symbolic (one value, one name) or flags (bits).
CREATE TABLE tracepoint_symbols (
	tracepoint TEXT, -- system:event
	field TEXT,
	value INTEGER,
	name TEXT,
	kind TEXT
);
