-- tcpconnect: every TCP connect(), successful or failed, like BCC tcpconnect
--
-- Answers: which processes opened TCP connections, from where to where,
-- and which connects failed? One row per connect() call on a TCP socket
-- (IPv4 or IPv6), in call order, from its socket as the kernel held it
-- at the call's exit (syscall_tcp). A failed connect (ECONNREFUSED,
-- ENETUNREACH, ETIMEDOUT, ...) shows the destination it asked for, read
-- from its argument at entry, and the local end its socket still holds:
-- none (NULL) unless bound before, as the kernel releases a port it
-- picked itself when the connect fails. A non-blocking connect returns
-- EINPROGRESS with its addresses known: whether it later worked is not a
-- syscall's answer (see the sock:inet_sock_set_state tracepoint).
-- Columns: time (with -T/--timestamp only: wall clock, UTC,
-- HH:MM:SS.mmm); time_s (seconds since trace start, at the call's
-- entry); pid; tid; comm (the thread's name at the time of the call, as
-- --comm matches it); ip (4 or 6); saddr, sport (local address and port,
-- NULL when none); daddr, dport (destination); err (NULL when it worked;
-- else the errno name, or number if unnamed: EINPROGRESS, ECONNREFUSED,
-- ...).
SELECT
	CASE WHEN :timestamp THEN strftime('%H:%M:%S', (t.ts + c.realtime_offset_ns) / 1000000000,
		'unixepoch') || printf('.%03d', (t.ts + c.realtime_offset_ns) / 1000000 % 1000) END AS time,
	round((t.ts - c.start_ts) / 1e9, 6) AS time_s,
	t.pid,
	t.tid,
	t.comm,
	t.ip,
	t.laddr AS saddr,
	t.lport AS sport,
	t.raddr AS daddr,
	t.rport AS dport,
	CASE WHEN t.ret < 0
		THEN coalesce((SELECT e.name FROM errno_names e WHERE e.num = -t.ret), -t.ret)
	END AS err
FROM syscall_tcp t
CROSS JOIN trace_clock c
WHERE t.nr IN (SELECT nr FROM syscall_names WHERE name = 'connect')
	AND (:pid IS NULL OR t.pid = :pid)
	AND (:comm IS NULL OR t.comm = :comm)
ORDER BY t.ts, t.id;
