-- Indexes, created after the bulk load (faster than maintaining them row
-- by row). The importer runs this file last.
--
-- Only small tables are indexed. An index on syscall_rows costs about a
-- second per 5 million rows to build (and as much again for ANALYZE),
-- while a full scan of it takes a quarter of that: reports scan it at
-- most once, and count calls from syscall_stats, syscall_hist and the
-- fds I/O columns. fds has a row per open (a million in a file I/O
-- storm) and is only ever scanned whole: an index on proc_id (0.17 s per
-- million rows) made the files report slower, walking it in index order.
-- No ANALYZE either: it reads every row of every table, and the reports'
-- plans do not need statistics.
CREATE INDEX processes_pid ON processes (pid);
CREATE INDEX threads_tid ON threads (tid);
CREATE INDEX process_events_type ON process_events (type, ts);
-- the name of a thread at a time: one seek per event of a per-event report
-- (comm included: the seek need not read the table, a fifth less time)
CREATE INDEX thread_names_at ON thread_names (tid, proc_id, start_ts, comm);
