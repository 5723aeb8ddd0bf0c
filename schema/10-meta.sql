-- Trace metadata, the syscall name table and probe/drop accounting.
-- The analyzer refuses (and re-imports over) a database whose user_version
-- differs from the one it was built with.
PRAGMA user_version = 8;

-- meta: every META_KV of the trace (META and STOP blocks: hostname,
-- kernel_release, record_cmdline, realtime_offset_ns, start_ts, stop_ts,
-- duration_ns, events_<group>, drops_total, bytes_raw, bytes_stored, ...)
-- plus what the importer adds: trace_path, trace_size, trace_mtime_ns,
-- trace_blocks, trace_records, trace_has_stop, analyzer_build (the build
-- that imported it: another build re-imports), salvage_warning (set when
-- the trace was cut short or damaged), drops_total (always present); and
-- for a database in a file, what ties it to its trace (analyze/fingerprint.h):
-- trace_stat (dev:ino:size:mtime_ns:ctime_ns), trace_content (size:crc32).
-- start_ts is always present: the first event's time if the trace lacked it.
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT
);

-- syscall_names: the recording host's syscall table (META_SYSCALL), so
-- numbers mean what they meant there, whatever host analyzes the trace.
CREATE TABLE syscall_names (
	nr INTEGER PRIMARY KEY,
	name TEXT NOT NULL
);

-- probes: every probe the recorder tried. status: attached | fallback
-- (attached through its fallback) | failed | skipped (group not selected).
-- grp: syscalls | process | files.
CREATE TABLE probes (
	grp TEXT,
	name TEXT,
	attach TEXT, -- attach point actually used or tried
	status TEXT,
	reason TEXT -- why it fell back, failed or was skipped
);

-- drops: records lost in the kernel (ring buffer full), per CPU and group.
-- Any row here means the other tables are incomplete.
CREATE TABLE drops (
	cpu INTEGER,
	grp TEXT,
	count INTEGER
);

-- drop_windows: when they were lost: COUNT records of a CPU and group
-- between start_ts and end_ts (the first and the last loss). A CPU and
-- group's windows add up to its drops row (traces of bpfrec >= 0.3; older
-- ones have none).
CREATE TABLE drop_windows (
	cpu INTEGER,
	grp TEXT,
	start_ts INTEGER,
	end_ts INTEGER,
	count INTEGER
);

-- trace_clock: one row with the trace's time base. Event times are
-- CLOCK_MONOTONIC ns; wall time (Unix epoch ns) = ts + realtime_offset_ns,
-- and reports show time_s = (ts - start_ts) / 1e9.
CREATE VIEW trace_clock AS
SELECT
	CAST((SELECT value FROM meta WHERE key = 'start_ts') AS INTEGER) AS start_ts,
	CAST((SELECT value FROM meta WHERE key = 'realtime_offset_ns') AS INTEGER)
		AS realtime_offset_ns;
