-- tcpaccept: every accepted TCP connection, like BCC tcpaccept
--
-- Answers: which processes accepted TCP connections, on which local
-- address and from which peer? One row per accept() or accept4() call
-- that returned a TCP socket (IPv4 or IPv6), in call order, from that
-- socket as the kernel held it at the call's exit (syscall_tcp), also
-- when the caller passed no address buffer.
-- Columns: time (with -T/--timestamp only: wall clock, UTC,
-- HH:MM:SS.mmm); time_s (seconds since trace start, at the call's
-- entry); pid; tid; comm (the thread's name at the time of the call, as
-- --comm matches it); ip (4 or 6); laddr, lport (the local address and
-- port the connection came in on); raddr, rport (the peer's).
SELECT
	CASE WHEN :timestamp THEN strftime('%H:%M:%S', (t.ts + c.realtime_offset_ns) / 1000000000,
		'unixepoch') || printf('.%03d', (t.ts + c.realtime_offset_ns) / 1000000 % 1000) END AS time,
	round((t.ts - c.start_ts) / 1e9, 6) AS time_s,
	t.pid,
	t.tid,
	t.comm,
	t.ip,
	t.laddr,
	t.lport,
	t.raddr,
	t.rport
FROM syscall_tcp t
CROSS JOIN trace_clock c
WHERE t.nr IN (SELECT nr FROM syscall_names WHERE name IN ('accept', 'accept4'))
	AND (:pid IS NULL OR t.pid = :pid)
	AND (:comm IS NULL OR t.comm = :comm)
ORDER BY t.ts, t.id;
