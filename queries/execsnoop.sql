-- execsnoop: every exec, successful or failed, like BCC execsnoop
--
-- Answers: which programs were executed, by whom, with which arguments?
-- Successful execs come from sched_process_exec; failed ones from execve/
-- execveat calls that returned an error, with the arguments read at their entry.
-- Columns: time (with -T/--timestamp only: wall clock, UTC, HH:MM:SS.mmm);
-- time_s (seconds since trace start); pcomm (parent's comm);
-- comm (the process after exec; for a failed exec, the calling thread's
-- name at the time of the call, as --comm matches it); pid; ppid; ret
-- (0, or -errno); filename;
-- args (argv joined by spaces, possibly truncated).
SELECT
	CASE WHEN :timestamp THEN strftime('%H:%M:%S', (x.ts + c.realtime_offset_ns) / 1000000000,
		'unixepoch') || printf('.%03d', (x.ts + c.realtime_offset_ns) / 1000000 % 1000) END AS time,
	round((x.ts - c.start_ts) / 1e9, 6) AS time_s,
	pcomm, comm, pid, ppid, ret, filename, args
FROM (
	SELECT
		e.ts,
		pp.comm AS pcomm,
		e.comm,
		e.pid,
		pr.ppid,
		0 AS ret,
		e.filename,
		e.args
	FROM process_events e
	LEFT JOIN processes pr ON pr.id = e.proc_id
	LEFT JOIN processes pp ON pp.id = pr.parent_id
	WHERE e.type = 'exec'
		AND (:pid IS NULL OR e.pid = :pid)
		AND (:comm IS NULL OR e.comm = :comm)
	UNION ALL
	SELECT
		s.ts,
		pp.comm,
		s.comm,
		s.pid,
		pr.ppid,
		s.ret,
		s.path,
		(SELECT a.args FROM syscall_argv a WHERE a.syscall_id = s.id)
	FROM syscalls s
	JOIN syscall_names n ON n.nr = s.nr
	JOIN syscall_classes k ON k.name = n.name AND k.class = 'exec'
	LEFT JOIN processes pr ON pr.id = s.proc_id
	LEFT JOIN processes pp ON pp.id = pr.parent_id
	WHERE s.ret < 0
		AND (:pid IS NULL OR s.pid = :pid)
		AND (:comm IS NULL OR s.comm = :comm)
) x
CROSS JOIN trace_clock c
ORDER BY time_s, pid;
