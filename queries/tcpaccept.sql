-- tcpaccept: every accepted TCP connection, like BCC tcpaccept
--
-- Answers: which processes accepted TCP connections, on which local
-- address and from which peer? One row per accept() or accept4() call
-- that returned a TCP socket (IPv4 or IPv6), in call order, from that
-- socket as the kernel held it at the call's exit (syscall_socks), also
-- when the caller passed no address buffer.
-- Columns: time (with -T/--timestamp only: wall clock, UTC,
-- HH:MM:SS.mmm); time_s (seconds since trace start, at the call's
-- entry); pid; tid; comm (the thread's name at the time of the call, as
-- --comm matches it); ip (4 or 6); laddr, lport (the local address and
-- port the connection came in on); raddr, rport (the peer's).
SELECT
	CASE WHEN :timestamp THEN strftime('%H:%M:%S', (s.ts + c.realtime_offset_ns) / 1000000000,
		'unixepoch') || printf('.%03d', (s.ts + c.realtime_offset_ns) / 1000000 % 1000) END AS time,
	round((s.ts - c.start_ts) / 1e9, 6) AS time_s,
	s.pid,
	s.tid,
	s.comm,
	CASE k.family WHEN 2 THEN 4 ELSE 6 END AS ip,
	k.laddr,
	k.lport,
	k.raddr,
	k.rport
FROM syscall_socks k
JOIN syscalls s ON s.id = k.syscall_id
CROSS JOIN trace_clock c
WHERE s.nr IN (SELECT nr FROM syscall_names WHERE name IN ('accept', 'accept4'))
	-- AF_INET, AF_INET6; SOCK_STREAM; IPPROTO_TCP
	AND k.family IN (2, 10) AND k.type = 1 AND k.protocol = 6
	AND (:pid IS NULL OR s.pid = :pid)
	AND (:comm IS NULL OR s.comm = :comm)
ORDER BY s.ts, s.id;
