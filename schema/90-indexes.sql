-- Indexes, created after the bulk load (faster than maintaining them row
-- by row). The importer runs this file last.
CREATE INDEX syscalls_pid ON syscalls (pid, ts);
CREATE INDEX syscalls_nr ON syscalls (nr);
CREATE INDEX syscalls_fd_id ON syscalls (fd_id);
CREATE INDEX fds_pid ON fds (pid, fd);
CREATE INDEX fds_proc ON fds (proc_id);
CREATE INDEX processes_pid ON processes (pid);
CREATE INDEX threads_tid ON threads (tid);
CREATE INDEX process_events_type ON process_events (type, ts);
ANALYZE;
