-- Processes, threads and the process-lifecycle events they were built from.

-- processes: one row per process incarnation; a reused pid gets a new row
-- (and id). Built from the /proc snapshot, fork, exec, rename and exit.
-- source: snapshot (alive at start) | fork (forked during the trace) |
-- trace (first seen mid-trace, its creation was not recorded).
-- comm, exe and cmdline are the last known ones (after any exec).
-- exit_code is the exit status when the process exited normally,
-- exit_signal the killing signal otherwise; both NULL if it did not exit
-- during the trace (exit_ts NULL).
CREATE TABLE processes (
	id INTEGER PRIMARY KEY,
	pid INTEGER NOT NULL,
	ppid INTEGER,
	parent_id INTEGER, -- processes.id of the parent, when known
	uid INTEGER,
	comm TEXT,
	exe TEXT,
	cmdline TEXT,
	start_ts INTEGER,
	exit_ts INTEGER,
	exit_code INTEGER,
	exit_signal INTEGER,
	core_dumped INTEGER, -- 1 when the killing signal dumped core
	execs INTEGER, -- successful execs seen
	source TEXT
);

-- threads: one row per thread incarnation (the leader included).
-- start_ts NULL when the thread predates the trace and is not a leader.
CREATE TABLE threads (
	id INTEGER PRIMARY KEY,
	tid INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	proc_id INTEGER, -- processes.id
	comm TEXT,
	start_ts INTEGER,
	exit_ts INTEGER
);

-- thread_names: the names each thread had, and when: one row per name of
-- each thread incarnation, from the /proc snapshot, fork/newtask (a new
-- task takes its creator's name), exec and rename (prctl PR_SET_NAME,
-- writes to /proc/PID/comm). A report finds the name a thread had at the
-- time TS of an event as the row of its tid and proc_id with the latest
-- start_ts <= TS. start_ts 0: held since before the trace saw the thread
-- (the snapshot's threads, and those first seen mid-trace); end_ts NULL:
-- held until the thread exited unseen or the trace ended, else the time
-- of the exec, rename or exit that ended it. comm NULL: unknown (a thread
-- of a process neither in the snapshot nor seen starting: a trace without
-- the process group), where reports use processes.comm, the last known name.
CREATE TABLE thread_names (
	tid INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	proc_id INTEGER NOT NULL, -- processes.id
	comm TEXT,
	start_ts INTEGER NOT NULL,
	end_ts INTEGER
);

-- process_events: the raw lifecycle events, in file order.
-- type: fork (sched_process_fork) | newtask (task_newtask) | exec | exit |
-- free (task reaped) | rename. pid/tid: the task the event is about (the
-- parent for fork/newtask). exit_code: the raw task->exit_code
-- (status << 8 | signal | 0x80 core), decoded into exit_status/exit_signal.
CREATE TABLE process_events (
	id INTEGER PRIMARY KEY,
	ts INTEGER NOT NULL,
	cpu INTEGER,
	type TEXT NOT NULL,
	pid INTEGER,
	tid INTEGER,
	proc_id INTEGER, -- processes.id of pid at the time
	child_pid INTEGER,
	child_tid INTEGER,
	clone_flags INTEGER,
	filename TEXT, -- exec
	args TEXT, -- exec: argv joined by spaces (may be truncated)
	comm TEXT, -- comm after the event
	oldcomm TEXT, -- rename
	exit_code INTEGER,
	exit_status INTEGER,
	exit_signal INTEGER,
	group_dead INTEGER, -- exit: last thread of the process
	start_ts INTEGER -- exit: task start time
);

-- signal_names: Linux signal numbers (x86/arm64 generic) for reports.
CREATE TABLE signal_names (
	num INTEGER PRIMARY KEY,
	name TEXT NOT NULL
);
INSERT INTO signal_names VALUES
	(1, 'HUP'), (2, 'INT'), (3, 'QUIT'), (4, 'ILL'), (5, 'TRAP'), (6, 'ABRT'),
	(7, 'BUS'), (8, 'FPE'), (9, 'KILL'), (10, 'USR1'), (11, 'SEGV'), (12, 'USR2'),
	(13, 'PIPE'), (14, 'ALRM'), (15, 'TERM'), (16, 'STKFLT'), (17, 'CHLD'),
	(18, 'CONT'), (19, 'STOP'), (20, 'TSTP'), (21, 'TTIN'), (22, 'TTOU'),
	(23, 'URG'), (24, 'XCPU'), (25, 'XFSZ'), (26, 'VTALRM'), (27, 'PROF'),
	(28, 'WINCH'), (29, 'IO'), (30, 'PWR'), (31, 'SYS');
