-- runqlat: log2 histogram of run queue latency, per process
--
-- Answers: how long do tasks wait runnable before they get a CPU? Like
-- BCC's runqlat -P: a sample per switch-in of a task (sched:sched_switch,
-- next_pid), timed from its enqueue: its wakeup (sched:sched_wakeup,
-- sched:sched_wakeup_new) or, when it left the CPU still runnable
-- (preempted or yielding: prev_state R), that switch-out; the latest such
-- event since its previous switch-in. A switch-in with none in the trace
-- (the wait began before it) has no sample; nor has the idle task (0) or
-- record itself. One row per power-of-two bucket of microseconds, from the
-- lowest to the highest non-empty bucket, a bar of '*' scaled so that the
-- fullest bucket of each process is 40 wide.
-- pid is the process (tgid) of the woken thread, from its own switch-out
-- events (or threads, for a run the trace ended); comm and --comm the
-- thread's name at the switch-in (next_comm): one histogram per process
-- and name, as files has one row per process and name.
-- Wakeups and switch-ins fire in other tasks' context and interrupts:
-- record them with @all.
-- Columns: pid; comm; usecs (bucket range "lo -> hi"); count;
-- distribution. Processes by number of samples.
-- @needs sched:sched_wakeup@all, sched:sched_wakeup_new@all, sched:sched_switch@all
WITH
-- per thread, by kind: 0 enqueued (woken, or left the CPU still runnable:
-- prev_state's bits 0-7 clear, R or R+), 1 left the CPU blocked, 2
-- switched in; of events at one time, an enqueue or a switch-out comes first
ev AS (
	SELECT pid AS tid, common_ts AS ts, 0 AS kind, NULL AS tgid, NULL AS comm
	FROM tp_sched_sched_wakeup
	UNION ALL
	SELECT pid, common_ts, 0, NULL, NULL
	FROM tp_sched_sched_wakeup_new
	UNION ALL
	SELECT prev_pid, common_ts, CASE WHEN prev_state & 255 THEN 1 ELSE 0 END, common_tgid, NULL
	FROM tp_sched_sched_switch
	UNION ALL
	SELECT next_pid, common_ts, 2, NULL, next_comm
	FROM tp_sched_sched_switch
),
seq AS (
	SELECT ev.*,
		-- runs: a thread's switch-in and what follows it up to the next one
		sum(kind = 2) OVER w AS run,
		max(CASE WHEN kind = 0 THEN ts END) OVER before AS enq_ts,
		max(CASE WHEN kind = 2 THEN ts END) OVER before AS prev_run_ts
	FROM ev
	WHERE tid != 0
	WINDOW w AS (PARTITION BY tid ORDER BY ts, kind ROWS UNBOUNDED PRECEDING),
		before AS (PARTITION BY tid ORDER BY ts, kind
			ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
runs AS (
	SELECT tid, run,
		max(CASE WHEN kind = 2 THEN ts END) AS ts,
		max(CASE WHEN kind = 2 AND enq_ts > coalesce(prev_run_ts, -1)
			THEN (ts - enq_ts) / 1000 END) AS us,
		max(CASE WHEN kind = 2 THEN comm END) AS comm,
		max(tgid) AS tgid
	FROM seq
	WHERE run > 0
	GROUP BY tid, run
),
hist AS (
	SELECT coalesce(r.tgid, (SELECT t.pid FROM threads t WHERE t.tid = r.tid
			AND coalesce(t.start_ts, 0) <= r.ts ORDER BY t.start_ts DESC LIMIT 1)) AS pid,
		r.comm,
		(SELECT k FROM log2_buckets WHERE lo <= r.us ORDER BY lo DESC LIMIT 1) AS k,
		count(*) AS n
	FROM runs r
	WHERE r.us IS NOT NULL
		AND r.tid IS NOT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'recorder_pid')
	GROUP BY 1, 2, 3
),
span AS (
	SELECT pid, comm, min(k) AS kmin, max(k) AS kmax, max(n) AS nmax, sum(n) AS total
	FROM hist
	WHERE (:pid IS NULL OR pid = :pid)
		AND (:comm IS NULL OR comm = :comm)
	GROUP BY pid, comm
)
-- every bucket from the lowest to the highest non-empty one (log2_buckets)
SELECT
	sp.pid,
	sp.comm,
	b.usecs,
	coalesce(h.n, 0) AS count,
	hb.bar AS distribution
FROM span sp
JOIN log2_buckets b ON b.k BETWEEN sp.kmin AND sp.kmax
LEFT JOIN hist h ON h.pid IS sp.pid AND h.comm IS sp.comm AND h.k = b.k
JOIN histogram_bars hb ON hb.width = coalesce(h.n, 0) * 40 / sp.nmax
ORDER BY sp.total DESC, sp.pid, sp.comm, b.k;
