-- files: per process and file: opens, reads, writes and bytes
--
-- Answers: which files did each process open, read and write, and how
-- much? I/O is attributed through the fd each call used (syscalls.fd_id),
-- so it counts for fds open before the trace (snapshot), inherited through
-- fork and duplicated with dup/dup2/fcntl too. Only files with an open or
-- some I/O are listed.
-- Columns: pid, comm; path (NULL: unknown); opens (successful
-- open/openat/openat2/creat); reads, bytes_read (read family: read, pread64,
-- readv, preadv, preadv2, recvfrom, recvmsg; bytes = sum of positive
-- returns); writes, bytes_written (write, pwrite64, writev, pwritev,
-- pwritev2, sendto, sendmsg). Ordered by bytes moved.
-- (io's columns are named apart from the output's: HAVING would bind them)
WITH io AS (
	SELECT s.fd_id,
		sum(c.class = 'read') AS nread,
		sum(CASE WHEN c.class = 'read' AND s.ret > 0 THEN s.ret ELSE 0 END) AS nbread,
		sum(c.class = 'write') AS nwrite,
		sum(CASE WHEN c.class = 'write' AND s.ret > 0 THEN s.ret ELSE 0 END)
			AS nbwritten
	FROM syscalls s
	JOIN syscall_names n ON n.nr = s.nr
	JOIN syscall_classes c ON c.name = n.name AND c.class IN ('read', 'write')
	WHERE s.fd_id IS NOT NULL
	GROUP BY s.fd_id
)
SELECT
	p.pid,
	p.comm,
	f.path,
	sum(f.how IN (SELECT name FROM syscall_classes WHERE class = 'open')) AS opens,
	coalesce(sum(io.nread), 0) AS reads,
	coalesce(sum(io.nbread), 0) AS bytes_read,
	coalesce(sum(io.nwrite), 0) AS writes,
	coalesce(sum(io.nbwritten), 0) AS bytes_written
FROM fds f
JOIN processes p ON p.id = f.proc_id
LEFT JOIN io ON io.fd_id = f.id
WHERE (:pid IS NULL OR p.pid = :pid)
	AND (:comm IS NULL OR p.comm = :comm)
GROUP BY f.proc_id, f.path
HAVING opens + reads + writes > 0
ORDER BY bytes_read + bytes_written DESC, p.pid, f.path;
