-- System calls and the fds they work on.

-- syscalls: one row per completed syscall (enter and exit paired in the
-- kernel). ts: enter time, exit_ts: NULL for calls that never return
-- (exit, exit_group). ret: raw return value; -4095..-1 is -errno.
-- a0..a5: the raw arguments the call takes; NULL past its last argument
-- (getppid has none, read three). path/path2: the path arguments the
-- kernel copied (truncated to 255 bytes); NULL when the probes could not
-- read one (a trace of format 2 on), '' for a real empty path
-- (AT_EMPTY_PATH). A successful exec's path is its exec event's filename. fd_id: the fds row the call's fd
-- argument referred to at that time (read/write family, close, dup, fcntl,
-- mmap, ...), NULL if the call has no fd argument or the fd was unknown.
-- comm: the calling thread's name at the time of the call (ts), from
-- thread_names; the process's last known name (processes.comm) where that
-- is unknown (a trace without the process group). Looked up only when
-- selected: one index seek per row.
--
-- It is a view of syscall_rows, the table that holds the rows: exit_ts is
-- derived (ts + dur_ns) rather than stored, and the columns scans filter
-- on come first, where a row's record header is cheapest to reach. Neither
-- has an index: syscall_rows is by far the largest table and indexing it
-- would double the import time; reports read the summaries below or scan
-- it once.
CREATE TABLE syscall_rows (
	id INTEGER PRIMARY KEY,
	nr INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	dur_ns INTEGER,
	pid INTEGER NOT NULL,
	proc_id INTEGER,
	ret INTEGER,
	fd_id INTEGER,
	tid INTEGER NOT NULL,
	cpu INTEGER,
	a0 INTEGER, a1 INTEGER, a2 INTEGER, a3 INTEGER, a4 INTEGER, a5 INTEGER,
	path TEXT,
	path2 TEXT
);

CREATE VIEW syscalls AS
SELECT
	id,
	ts,
	ts + dur_ns AS exit_ts,
	dur_ns,
	pid,
	tid,
	proc_id, -- processes.id
	cpu,
	nr,
	a0, a1, a2, a3, a4, a5,
	ret,
	path,
	path2,
	fd_id,
	coalesce(
		(SELECT n.comm FROM thread_names n
		WHERE n.tid = syscall_rows.tid AND n.proc_id = syscall_rows.proc_id
			AND n.start_ts <= syscall_rows.ts
		ORDER BY n.start_ts DESC LIMIT 1),
		(SELECT p.comm FROM processes p WHERE p.id = syscall_rows.proc_id)) AS comm
FROM syscall_rows;

-- syscall_stats: syscalls summed per process, syscall and the calling
-- thread's name at the time (comm: a shell that execs ls counts its calls
-- before the exec as sh, those after as ls; threads may be named apart)
-- while importing, so that per-syscall reports read a few rows instead of
-- every call. comm is NULL when unknown (a trace without the process
-- group names only the processes of its start-of-trace snapshot).
-- calls: rows in syscalls; errors: calls that returned -4095..-1, those
-- whose return is never an error (syscall_returns 'value') aside;
-- lat_calls: calls with a latency (dur_ns not NULL); lat_sum_ns,
-- lat_max_ns: sum and maximum of their dur_ns, NULL when lat_calls = 0.
CREATE TABLE syscall_stats (
	proc_id INTEGER NOT NULL, -- processes.id
	pid INTEGER NOT NULL,
	nr INTEGER NOT NULL,
	calls INTEGER NOT NULL,
	errors INTEGER NOT NULL,
	lat_calls INTEGER NOT NULL,
	lat_sum_ns INTEGER,
	lat_max_ns INTEGER,
	comm TEXT -- the calling thread's name at the time of the calls; NULL: unknown
);

-- syscall_hist: log2 histogram of syscall latency per process and
-- syscall, made while importing. A call with latency dur_ns counts in
-- bucket k when us = dur_ns / 1000 (truncated) is in lo..hi: k = 0 holds
-- 0..1 us, k >= 1 holds 2^k .. 2^(k+1) - 1 us, up to k = 45 (BCC's
-- print_log2_hist buckets). Only non-empty buckets have a row.
CREATE TABLE syscall_hist (
	proc_id INTEGER NOT NULL, -- processes.id
	pid INTEGER NOT NULL,
	nr INTEGER NOT NULL,
	bucket INTEGER NOT NULL, -- k
	calls INTEGER NOT NULL,
	comm TEXT -- as in syscall_stats
);

-- fds: fd lifetimes, one row from open (or trace start) to close.
-- how: the opening syscall's name (open, openat, dup2, pipe2, socket,
-- accept4, ...), 'snapshot' (open when recording began, from /proc) or
-- 'inherited' (copied from the parent at fork; src_id is the parent's row).
-- closed_ts NULL: still open when the trace ended. closed_how: the
-- closing syscall (close, close_range, dup2 over it), 'exec-cloexec',
-- 'exit', 'reused' (a new fd got the number: the close was not recorded)
-- or 'pid-reuse'. path: resolved path, 'pipe:[r]'/'pipe:[w]',
-- 'socketpair', 'socket:<family>', 'anon:<kind>'; NULL if unknown.
CREATE TABLE fds (
	id INTEGER PRIMARY KEY,
	proc_id INTEGER, -- processes.id
	pid INTEGER NOT NULL,
	fd INTEGER NOT NULL,
	path TEXT,
	how TEXT NOT NULL,
	opened_ts INTEGER,
	closed_ts INTEGER,
	open_syscall_id INTEGER, -- syscalls.id
	close_syscall_id INTEGER, -- syscalls.id
	closed_how TEXT,
	cloexec INTEGER NOT NULL,
	src_id INTEGER, -- fds.id this one was duplicated or inherited from
	-- I/O through this fd (syscalls with this fd_id) by class, see
	-- syscall_classes: calls, and bytes as the sum of positive returns
	reads INTEGER NOT NULL,
	bytes_read INTEGER NOT NULL,
	writes INTEGER NOT NULL,
	bytes_written INTEGER NOT NULL
);

-- fd_io: the fds I/O columns split by the name of the calling thread at
-- the time of each call (thread_names), so that the bytes a process moved
-- through an fd before it exec'd or was renamed count under its former
-- name: one row per fd and name that made the fd or moved data through it.
-- opened: 1 for the name whose call made the fd (an fds row whose how is a
-- syscall; snapshot and inherited fds have none); the I/O columns as in
-- fds, which holds their sums over the fd's rows. comm NULL: unknown (a
-- trace without the process group), where reports use processes.comm.
CREATE TABLE fd_io (
	fd_id INTEGER NOT NULL, -- fds.id
	comm TEXT,
	opened INTEGER NOT NULL,
	reads INTEGER NOT NULL,
	bytes_read INTEGER NOT NULL,
	writes INTEGER NOT NULL,
	bytes_written INTEGER NOT NULL
);

-- syscall_classes: what the reports count as opening (by path), reading,
-- writing, executing; the same classes fill fds.reads/writes. The
-- importer fills it from bpf/syscalls.def, where the behaviour of every
-- syscall bpfrec knows is written.
CREATE TABLE syscall_classes (
	name TEXT PRIMARY KEY,
	class TEXT NOT NULL -- open | read | write | exec
);

-- syscall_returns: the calls whose return value is not a count or
-- -errno (see bpf/syscalls.def, where the importer reads it). ret:
-- 'address' (mmap, mmap2, mremap, shmat: -4095..-1 is still -errno, no
-- address lying in the last page) or 'value' (rt_sigreturn, sigreturn,
-- brk: never an error, whatever the sign). Other calls: -4095..-1 is -errno.
CREATE TABLE syscall_returns (
	name TEXT PRIMARY KEY,
	ret TEXT NOT NULL -- address | value
);

-- errno_names: Linux errno values for reports, filled by the importer:
-- the generic ABI (x86, arm64, riscv; alpha, mips, parisc and sparc number
-- some differently) from the analyzing build's asm-generic/errno.h, and
-- the kernel-internal codes 512-531 (ERESTARTSYS, ERESTARTNOHAND, ...,
-- from the kernel's include/linux/errno.h) that interrupted calls return.
CREATE TABLE errno_names (
	num INTEGER PRIMARY KEY,
	name TEXT NOT NULL
);

-- syscalls_named: syscalls with the name, errno name, relative and wall
-- time (time_s: seconds since trace start; wall_ns: Unix epoch ns).
-- errno: -ret for a return in -4095..-1, except of the calls whose return
-- is never an error (syscall_returns 'value'); errno_name NULL if unnamed.
CREATE VIEW syscalls_named AS
SELECT s.*,
	n.name AS name,
	CASE WHEN s.ret < 0 AND s.ret > -4096 AND r.ret IS NOT 'value' THEN -s.ret END AS errno,
	CASE WHEN s.ret < 0 AND s.ret > -4096 AND r.ret IS NOT 'value' THEN e.name END
		AS errno_name,
	(s.ts - c.start_ts) / 1e9 AS time_s,
	s.ts + c.realtime_offset_ns AS wall_ns
FROM syscalls s
CROSS JOIN trace_clock c
LEFT JOIN syscall_names n ON n.nr = s.nr
LEFT JOIN syscall_returns r ON r.name = n.name
LEFT JOIN errno_names e ON e.num = -s.ret;

-- syscall_argv: the argv of each failed execve/execveat (syscalls.path is
-- its filename), joined by spaces, possibly truncated (256 bytes, 20
-- strings), as read at the call's entry; a string the probes could not
-- read then (not faulted in) ends the list. Successful execs have theirs
-- in process_events.args.
CREATE TABLE syscall_argv (
	syscall_id INTEGER PRIMARY KEY, -- syscalls.id
	args TEXT NOT NULL
);

-- syscall_socks: the socket of each socket call that carries one in the
-- trace (format 2 on): socket, accept, accept4 (the new fd) and bind,
-- connect, listen (the fd argument) that worked, connect's EINPROGRESS
-- included, as the kernel held the socket at the call's exit; and every
-- bind and connect that failed (syscalls.ret), with the address it asked
-- for, read from its argument at the call's entry, in place of the
-- remote (connect) or local (bind) columns: a refused or unroutable
-- connect's socket no longer holds its destination (NULL when the
-- argument could not be read or is of no family named here; traces of
-- recorders before the failed-call tail, TAIL_SOCKADDR, have no row for
-- a failed call).
-- family: AF_* (1 unix, 2 inet, 10 inet6; 0 for a failed call whose fd
-- was no socket); type: SOCK_* (1 stream, 2 dgram, ...); protocol:
-- IPPROTO_* (6 tcp, 17 udp; 0 for unix). laddr/lport, raddr/rport:
-- inet addresses as text ('127.0.0.1', '::1'), NULL with the port where
-- the port is 0 (not bound, not connected). path: AF_UNIX, the bound
-- path (the socket's own, else its peer's), '@name' for an abstract
-- one, NULL when unnamed. ino: the socket's inode (socket:[ino] in
-- /proc/PID/fd), 0 when unknown.
CREATE TABLE syscall_socks (
	syscall_id INTEGER PRIMARY KEY, -- syscalls.id
	family INTEGER NOT NULL,
	type INTEGER NOT NULL,
	protocol INTEGER NOT NULL,
	laddr TEXT,
	lport INTEGER,
	raddr TEXT,
	rport INTEGER,
	path TEXT,
	ino INTEGER NOT NULL
);

-- syscall_tcp: the calls of syscall_socks on TCP sockets (AF_INET,
-- AF_INET6; SOCK_STREAM; IPPROTO_TCP), with the call's syscalls columns
-- (comm looked up only when selected) and ip: 4 or 6. What tcpconnect
-- and tcpaccept read.
CREATE VIEW syscall_tcp AS
SELECT
	s.id, -- syscalls.id
	s.ts,
	s.pid,
	s.tid,
	s.comm,
	s.nr,
	s.ret,
	CASE k.family WHEN 2 THEN 4 ELSE 6 END AS ip,
	k.laddr,
	k.lport,
	k.raddr,
	k.rport
FROM syscall_socks k
JOIN syscalls s ON s.id = k.syscall_id
WHERE k.family IN (2, 10) AND k.type = 1 AND k.protocol = 6;
