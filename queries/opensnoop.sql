-- opensnoop: every open/openat/openat2/creat, like BCC opensnoop
--
-- Answers: which files did processes try to open, and did it work?
-- Columns: time (with -T/--timestamp only: wall clock, UTC, HH:MM:SS.mmm);
-- time_s (seconds since trace start); pid; tid; comm (the thread's name
-- at the time of the call: a shell's opens before it exec'd cat are sh's,
-- as --comm matches them; see syscalls.comm); fd (-1 on
-- failure); err (errno name, or number if unnamed; NULL on success);
-- flags (open flags in hex; NULL for openat2, whose flags sit behind a
-- pointer); path (as passed, truncated to 255 bytes).
-- (syscalls has no index: the IN list picks the opens in one scan, before
-- any join)
SELECT
	CASE WHEN :timestamp THEN strftime('%H:%M:%S', (s.ts + c.realtime_offset_ns) / 1000000000,
		'unixepoch') || printf('.%03d', (s.ts + c.realtime_offset_ns) / 1000000 % 1000) END AS time,
	round((s.ts - c.start_ts) / 1e9, 6) AS time_s,
	s.pid,
	s.tid,
	s.comm,
	CASE WHEN s.ret >= 0 THEN s.ret ELSE -1 END AS fd,
	-- looked up for failed calls only
	CASE WHEN s.ret < 0
		THEN coalesce((SELECT e.name FROM errno_names e WHERE e.num = -s.ret), -s.ret)
	END AS err,
	CASE n.name
	WHEN 'open' THEN printf('0x%x', s.a1)
	WHEN 'openat' THEN printf('0x%x', s.a2)
	WHEN 'creat' THEN '0x241' -- O_CREAT | O_WRONLY | O_TRUNC
	END AS flags,
	s.path
FROM syscalls s
CROSS JOIN trace_clock c
JOIN syscall_names n ON n.nr = s.nr
WHERE s.nr IN (SELECT n.nr FROM syscall_names n
		JOIN syscall_classes k ON k.name = n.name AND k.class = 'open')
	AND (:pid IS NULL OR s.pid = :pid)
	AND (:comm IS NULL OR s.comm = :comm)
ORDER BY s.ts, s.id;
