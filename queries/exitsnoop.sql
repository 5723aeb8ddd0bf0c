-- exitsnoop: every process exit with age and exit code or signal
--
-- Answers: which processes ended, how long did they live, and how did
-- they end? One row per process (the exit of its last thread), like BCC
-- exitsnoop.
-- Columns: time (with -T/--timestamp only: wall clock, UTC, HH:MM:SS.mmm);
-- time_s (seconds since trace start); comm; pid; ppid; tid (the
-- last thread); age_s (lifetime in seconds, from the process start);
-- exit: "0", "code N", or "signal N (NAME)" (", core dumped"), in the
-- table; csv and json give the numbers instead: exit_code (the exit
-- status, NULL when killed) and signal (the killing signal, else NULL).
-- @hide table: exit_code, signal
-- @hide csv, json: exit
SELECT
	CASE WHEN :timestamp THEN strftime('%H:%M:%S', (e.ts + c.realtime_offset_ns) / 1000000000,
		'unixepoch') || printf('.%03d', (e.ts + c.realtime_offset_ns) / 1000000 % 1000) END AS time,
	round((e.ts - c.start_ts) / 1e9, 6) AS time_s,
	e.comm,
	e.pid,
	p.ppid,
	e.tid,
	-- the leader's task->start_time is exact; /proc's start is in ticks
	round((e.ts - coalesce(CASE WHEN e.pid = e.tid THEN e.start_ts END,
		p.start_ts)) / 1e9, 6) AS age_s,
	CASE
	WHEN e.exit_signal IS NOT NULL THEN
		'signal ' || e.exit_signal || ' (' || coalesce(sn.name, '?') || ')'
			|| CASE WHEN e.exit_code & 128 THEN ', core dumped' ELSE '' END
	WHEN e.exit_status = 0 THEN '0'
	ELSE 'code ' || e.exit_status
	END AS exit,
	CASE WHEN e.exit_signal IS NULL THEN e.exit_status END AS exit_code,
	e.exit_signal AS signal
FROM process_events e
CROSS JOIN trace_clock c
LEFT JOIN processes p ON p.id = e.proc_id
LEFT JOIN signal_names sn ON sn.num = e.exit_signal
WHERE e.type = 'exit' AND e.group_dead
	AND (:pid IS NULL OR e.pid = :pid)
	AND (:comm IS NULL OR e.comm = :comm)
ORDER BY e.ts, e.id;
