-- files: per process and file: opens, reads, writes and bytes
--
-- Answers: which files did each process open, read and write, and how
-- much? I/O is attributed through the fd each call used (syscalls.fd_id),
-- so it counts for fds open before the trace (snapshot), inherited through
-- fork and duplicated with dup/dup2/fcntl too; the importer sums it per
-- fd and name of the calling thread at the time of each call (fd_io).
-- One row per process, name and file: a shell that read a file and then
-- exec'd cat, which read another, has a row as sh and a row as cat, and
-- --comm matches that name. Only files with an open or some I/O are listed.
-- Columns: pid, comm; path (NULL: unknown); opens (successful
-- open/openat/openat2/creat); reads, bytes_read (read family: read, pread64,
-- readv, preadv, preadv2, recvfrom, recvmsg; bytes = sum of positive
-- returns); writes, bytes_written (write, pwrite64, writev, pwritev,
-- pwritev2, sendto, sendmsg). Calls that move data between two fds count
-- on both, a read on the source and a write on the destination: sendfile,
-- copy_file_range, splice, tee (which copies without consuming);
-- vmsplice counts as a write on a pipe's write end, a read on its read
-- end. Ordered by bytes moved.
SELECT
	p.pid,
	coalesce(io.comm, p.comm) AS comm,
	f.path,
	sum(io.opened AND f.how IN (SELECT name FROM syscall_classes WHERE class = 'open'))
		AS opens,
	sum(io.reads) AS reads,
	sum(io.bytes_read) AS bytes_read,
	sum(io.writes) AS writes,
	sum(io.bytes_written) AS bytes_written
FROM fd_io io
JOIN fds f ON f.id = io.fd_id
JOIN processes p ON p.id = f.proc_id
WHERE (:pid IS NULL OR p.pid = :pid)
	AND (:comm IS NULL OR coalesce(io.comm, p.comm) = :comm)
GROUP BY f.proc_id, coalesce(io.comm, p.comm), f.path
-- sums, not the aliases: in an expression, a name that is also a column of
-- fd_io is that column of an arbitrary row of the group
HAVING opens > 0 OR sum(io.reads) > 0 OR sum(io.writes) > 0
ORDER BY sum(io.bytes_read) + sum(io.bytes_written) DESC, p.pid, f.path, comm;
