// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reports over tracepoints (biosnoop, biolatency, runqlat) on a
 * synthetic trace in this kernel's layouts (6.18; print fmts left out),
 * whole outputs against golden files (golden/tpreports-*.txt), every
 * latency distinct so that a wrong pairing shows:
 *
 * Block, devices 8:0 and 259:1 (us after the first issue):
 *   8:0 sector 100 read by dd (42), 3 us; again later, 1.5 us (1 in biolatency)
 *   8:0 sector 200 write, 100 us
 *   8:0 sector 300 read issued twice (requeued; the second time by a
 *       kworker, 50), completed 20 us after the second issue
 *   8:0 sector 400 completed, never issued in the trace: left out
 *   8:0 sectors 500 and 508 written, completed in the other order: 40, 4 us
 *   8:0 sector 600 read, issued and completed at the same ns: 0 us
 *   259:1 a flush (FF) by jbd2 (60), 20 us; a discard by fstrim (70),
 *       2000 us; a read never completed; a readahead (RA), 150 us; a
 *       write (W), 5000 us
 *
 * Scheduler (us after the first wakeup; app is pid 100, threads 100, 101):
 *   101 woken new, on a CPU 5 us later                            app 5
 *   100 on a CPU with no enqueue in the trace (waiting before): no sample
 *   100 woken, on 40 us later; preempted (R+), back 300 us later  app 40, 300
 *   102 (cron) woken, on 10 us later                              cron 10
 *   100 woken while running (the wakeup is stale), yields (R) 10 us
 *       later, back 2 us after the yield                          app 2
 *   102 on a CPU again with no wakeup since its last run: no sample
 *   100 woken and on at the same ns, the switch written first     app 0
 *   200 as sh, 1 us; renamed ls, 3 us                             sh 1, ls 3
 *   record (999, meta recorder_pid) and the idle task (0): no samples
 *   301 (a thread of tail, 300, from the snapshot), 30 us, never
 *       switched out: its process from threads                   tail 30
 *   100 woken, on 5000 us later                                   app 5000
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracegen.h"

#define START 1000000000ull
#define US(n) (START + 10000000ull + (uint64_t)((n) * 1000))

enum { ID_ISSUE = 1, ID_COMPLETE, ID_WAKEUP, ID_WAKEUP_NEW, ID_SWITCH };

#define COMMON                                                                             \
	"format:\n"                                                                        \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"             \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"             \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"     \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
#define BLOCK_HEAD                                                                         \
	"\tfield:dev_t dev;\toffset:8;\tsize:4;\tsigned:0;\n"                              \
	"\tfield:sector_t sector;\toffset:16;\tsize:8;\tsigned:0;\n"                       \
	"\tfield:unsigned int nr_sector;\toffset:24;\tsize:4;\tsigned:0;\n"
#define WAKEUP                                                                             \
	"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"                         \
	"\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"                             \
	"\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n"                              \
	"\tfield:int target_cpu;\toffset:32;\tsize:4;\tsigned:1;\n\n"                      \
	"print fmt: \"pid=%d\", REC->pid\n"

static const char fmt_issue[] =
	"name: block_rq_issue\nID: 1\n" COMMON BLOCK_HEAD
	"\tfield:unsigned int bytes;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned short ioprio;\toffset:32;\tsize:2;\tsigned:0;\n"
	"\tfield:char rwbs[10];\toffset:34;\tsize:10;\tsigned:0;\n"
	"\tfield:char comm[16];\toffset:44;\tsize:16;\tsigned:0;\n"
	"\tfield:__data_loc char[] cmd;\toffset:60;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"%s\", REC->rwbs\n";
static const char fmt_complete[] =
	"name: block_rq_complete\nID: 2\n" COMMON BLOCK_HEAD
	"\tfield:int error;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned short ioprio;\toffset:32;\tsize:2;\tsigned:0;\n"
	"\tfield:char rwbs[10];\toffset:34;\tsize:10;\tsigned:0;\n"
	"\tfield:__data_loc char[] cmd;\toffset:44;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"%s\", REC->rwbs\n";
static const char fmt_wakeup[] = "name: sched_wakeup\nID: 3\n" COMMON WAKEUP;
static const char fmt_wakeup_new[] = "name: sched_wakeup_new\nID: 4\n" COMMON WAKEUP;
static const char fmt_switch[] =
	"name: sched_switch\nID: 5\n" COMMON
	"\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	"\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
	"\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
	"\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
	"\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"next_pid=%d\", REC->next_pid\n";

#define DEV_A (8u << 20)
#define DEV_B (259u << 20 | 1)
#define S_SLEEPING 1 /* prev_state: S */
#define S_RUNNABLE 0 /* R: yielded */
#define S_PREEMPTED 0x100 /* R+: TASK_REPORT_MAX */

static void put(uint8_t *e, size_t off, const void *v, size_t n)
{
	memcpy(e + off, v, n);
}

static void put_u32(uint8_t *e, size_t off, uint32_t v)
{
	put(e, off, &v, 4);
}

static void put_u64(uint8_t *e, size_t off, uint64_t v)
{
	put(e, off, &v, 8);
}

/* dev, sector, nr_sector, ioprio 0, rwbs at 34, an empty cmd at the end */
static size_t block_entry(uint8_t *e, uint32_t dev, uint64_t sector, uint32_t bytes,
			  const char *rwbs, size_t loc_off, size_t fixed)
{
	memset(e, 0, 128);
	put_u32(e, 8, dev);
	put_u64(e, 16, sector);
	put_u32(e, 24, bytes / 512);
	strncpy((char *)e + 34, rwbs, 10);
	put_u32(e, loc_off, 1u << 16 | (uint32_t)fixed);
	return fixed + 1;
}

/* Issued in the context of PID (COMM), which the event's comm holds too. */
static void issue(struct bf_writer *w, uint64_t ts, uint32_t pid, const char *comm, uint32_t dev,
		  uint64_t sector, const char *rwbs, uint32_t bytes)
{
	uint8_t e[128];
	size_t len = block_entry(e, dev, sector, bytes, rwbs, 60, 64);

	put_u32(e, 28, bytes);
	strncpy((char *)e + 44, comm, 16);
	tg_tp(w, ts, pid, pid, ID_ISSUE, e, (uint16_t)len);
}

/* Completed in a softirq over the idle task. */
static void complete(struct bf_writer *w, uint64_t ts, uint32_t dev, uint64_t sector,
		     const char *rwbs, uint32_t bytes)
{
	uint8_t e[128];
	size_t len = block_entry(e, dev, sector, bytes, rwbs, 44, 48);

	tg_tp(w, ts, 0, 0, ID_COMPLETE, e, (uint16_t)len);
}

static void write_block(struct bf_writer *w)
{
	tg_tp_meta(w, ID_ISSUE, "block", "block_rq_issue", fmt_issue);
	tg_tp_meta(w, ID_COMPLETE, "block", "block_rq_complete", fmt_complete);
	issue(w, US(0), 42, "dd", DEV_A, 100, "R", 4096);
	complete(w, US(3), DEV_A, 100, "R", 4096);
	issue(w, US(10), 42, "dd", DEV_A, 200, "WS", 8192);
	complete(w, US(110), DEV_A, 200, "WS", 8192);
	issue(w, US(200), 42, "dd", DEV_A, 100, "R", 4096);
	complete(w, US(201.5), DEV_A, 100, "R", 4096);
	issue(w, US(300), 42, "dd", DEV_A, 300, "R", 4096);
	issue(w, US(310), 50, "kworker/0:1H", DEV_A, 300, "R", 4096);
	complete(w, US(330), DEV_A, 300, "R", 4096);
	complete(w, US(400), DEV_A, 400, "R", 4096);
	issue(w, US(500), 42, "dd", DEV_A, 500, "WS", 4096);
	issue(w, US(501), 42, "dd", DEV_A, 508, "WS", 4096);
	complete(w, US(505), DEV_A, 508, "WS", 4096);
	complete(w, US(540), DEV_A, 500, "WS", 4096);
	issue(w, US(600), 42, "dd", DEV_A, 600, "R", 4096);
	complete(w, US(600), DEV_A, 600, "R", 4096);
	issue(w, US(700), 60, "jbd2/vda1-8", DEV_B, 0, "FF", 0);
	complete(w, US(720), DEV_B, 0, "FF", 0);
	issue(w, US(800), 70, "fstrim", DEV_B, 2048, "DS", 1048576);
	issue(w, US(900), 42, "dd", DEV_B, 8, "R", 4096);
	issue(w, US(1000), 42, "dd", DEV_B, 16, "RA", 131072);
	issue(w, US(1100), 42, "dd", DEV_B, 4096, "W", 4096);
	complete(w, US(1150), DEV_B, 16, "RA", 131072);
	complete(w, US(2800), DEV_B, 2048, "DS", 1048576);
	complete(w, US(6100), DEV_B, 4096, "W", 4096);
}

/* PID (COMM) woken, from an interrupt over the idle task. */
static void wakeup(struct bf_writer *w, uint64_t ts, uint32_t id, uint32_t pid, const char *comm)
{
	uint8_t e[40] = { 0 };

	strncpy((char *)e + 8, comm, 16);
	put_u32(e, 24, pid);
	put_u32(e, 28, 120);
	tg_tp(w, ts, 0, 0, id, e, 36);
}

/* PREV (of process TGID) leaves the CPU in STATE, NEXT (named NEXT_COMM) gets it. */
static void sw(struct bf_writer *w, uint64_t ts, uint32_t tgid, uint32_t prev, int64_t state,
	       uint32_t next, const char *next_comm)
{
	uint8_t e[64] = { 0 };

	snprintf((char *)e + 8, 16, "task-%u", prev);
	put_u32(e, 24, prev);
	put_u32(e, 28, 120);
	put_u64(e, 32, (uint64_t)state);
	strncpy((char *)e + 40, next_comm, 16);
	put_u32(e, 56, next);
	put_u32(e, 60, 120);
	tg_tp(w, ts, tgid, prev, ID_SWITCH, e, 64);
}

static void write_sched(struct bf_writer *w)
{
	const uint64_t s = 10000; /* us: after the block events */

	tg_tp_meta(w, ID_WAKEUP, "sched", "sched_wakeup", fmt_wakeup);
	tg_tp_meta(w, ID_WAKEUP_NEW, "sched", "sched_wakeup_new", fmt_wakeup_new);
	tg_tp_meta(w, ID_SWITCH, "sched", "sched_switch", fmt_switch);
	wakeup(w, US(s + 0), ID_WAKEUP_NEW, 101, "app");
	sw(w, US(s + 5), 0, 0, S_RUNNABLE, 101, "app");
	sw(w, US(s + 20), 100, 101, S_SLEEPING, 0, "swapper/0");
	sw(w, US(s + 30), 0, 0, S_RUNNABLE, 100, "app");
	sw(w, US(s + 50), 100, 100, S_SLEEPING, 0, "swapper/0");
	wakeup(w, US(s + 60), ID_WAKEUP, 100, "app");
	sw(w, US(s + 100), 0, 0, S_RUNNABLE, 100, "app");
	wakeup(w, US(s + 140), ID_WAKEUP, 102, "cron");
	sw(w, US(s + 150), 100, 100, S_PREEMPTED, 102, "cron");
	sw(w, US(s + 450), 102, 102, S_SLEEPING, 100, "app");
	wakeup(w, US(s + 460), ID_WAKEUP, 100, "app");
	sw(w, US(s + 470), 100, 100, S_RUNNABLE, 0, "swapper/0");
	sw(w, US(s + 472), 0, 0, S_RUNNABLE, 100, "app");
	sw(w, US(s + 500), 100, 100, S_SLEEPING, 102, "cron");
	sw(w, US(s + 600), 102, 102, S_SLEEPING, 0, "swapper/0");
	/* the same ns: written switch first, ordered wakeup first */
	sw(w, US(s + 700), 0, 0, S_RUNNABLE, 100, "app");
	wakeup(w, US(s + 700), ID_WAKEUP, 100, "app");
	sw(w, US(s + 750), 100, 100, S_SLEEPING, 0, "swapper/0");
	wakeup(w, US(s + 800), ID_WAKEUP, 200, "sh");
	sw(w, US(s + 801), 0, 0, S_RUNNABLE, 200, "sh");
	sw(w, US(s + 810), 200, 200, S_SLEEPING, 0, "swapper/0");
	wakeup(w, US(s + 900), ID_WAKEUP, 200, "ls");
	sw(w, US(s + 903), 0, 0, S_RUNNABLE, 200, "ls");
	sw(w, US(s + 950), 200, 200, S_SLEEPING, 0, "swapper/0");
	/* record's own wait: runqlat leaves record out (its tid, recorder_pid) */
	wakeup(w, US(s + 1000), ID_WAKEUP, 999, "record");
	sw(w, US(s + 1010), 0, 0, S_RUNNABLE, 999, "record");
	wakeup(w, US(s + 1100), ID_WAKEUP, 301, "tail");
	sw(w, US(s + 1130), 0, 0, S_RUNNABLE, 301, "tail");
	wakeup(w, US(s + 2000), ID_WAKEUP, 100, "app");
	sw(w, US(s + 7000), 0, 0, S_RUNNABLE, 100, "app");
	sw(w, US(s + 7100), 100, 100, S_SLEEPING, 0, "swapper/0");
}

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 1);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	tg_kv(w, BF_BLK_META, BF_KEY_TARGET, "all");
	tg_kv(w, BF_BLK_META, BF_KEY_RECORDER_PID, "999");
	tg_proc(w, 300, 1, START, "tail", "/usr/bin/tail", "tail -f x", "/");
	tg_snap_thread(w, 300, 301, START, "tail");
	write_block(w);
	write_sched(w);
	tg_close(w);
}

/* A trace of the block tracepoints only. */
static void write_block_only(const char *path)
{
	struct bf_writer *w = tg_open(path, 1);

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	write_block(w);
	tg_close(w);
}

static void report_is(sqlite3 *db, const char *name, const struct rp_params *p, const char *want)
{
	char *got = tg_report(db, name, p, OUT_CSV);

	CHECK_STR(got, want);
	free(got);
}

int main(void)
{
	struct rp_params dd = { .comm = "dd" }, kworker = { .has_pid = 1, .pid = 50 };
	struct rp_params ls = { .comm = "ls" }, pid200 = { .has_pid = 1, .pid = 200 };
	struct im_stats st;
	sqlite3 *db = tg_import(write_trace, &st);
	struct an_err e;
	FILE *null = fopen("/dev/null", "w");

	CHECK_GOLDEN_REPORT(db, "biosnoop", "golden/tpreports-biosnoop.txt");
	CHECK_GOLDEN_REPORT(db, "biolatency", "golden/tpreports-biolatency.txt");
	CHECK_GOLDEN_REPORT(db, "runqlat", "golden/tpreports-runqlat.txt");
	/* the issuer is the last issue's: the kworker's requeue */
	report_is(db, "biolatency", &kworker,
		  "device,op,usecs,count,distribution\n"
		  "8:0,read,16 -> 31,1,|****************************************|\n");
	report_is(db, "biosnoop", &dd,
		  "time_s,comm,pid,device,rwbs,sector,bytes,lat_us\n"
		  "0.01,dd,42,8:0,R,100,4096,3.0\n"
		  "0.01001,dd,42,8:0,WS,200,8192,100.0\n"
		  "0.0102,dd,42,8:0,R,100,4096,1.5\n"
		  "0.0103,dd,42,8:0,R,300,4096,\n"
		  "0.0105,dd,42,8:0,WS,500,4096,40.0\n"
		  "0.010501,dd,42,8:0,WS,508,4096,4.0\n"
		  "0.0106,dd,42,8:0,R,600,4096,0.0\n"
		  "0.0109,dd,42,259:1,R,8,4096,\n"
		  "0.011,dd,42,259:1,RA,16,131072,150.0\n"
		  "0.0111,dd,42,259:1,W,4096,4096,5000.0\n");
	/* one process, a histogram per name; or one name */
	report_is(db, "runqlat", &pid200,
		  "pid,comm,usecs,count,distribution\n"
		  "200,ls,2 -> 3,1,|****************************************|\n"
		  "200,sh,0 -> 1,1,|****************************************|\n");
	report_is(db, "runqlat", &ls,
		  "pid,comm,usecs,count,distribution\n"
		  "200,ls,2 -> 3,1,|****************************************|\n");
	sqlite3_close(db);

	/* without the sched tracepoints: what to record, not an SQL error */
	db = tg_import(write_block_only, &st);
	CHECK(null && rp_run(db, "runqlat", NULL, OUT_TABLE, null, &e) < 0);
	CHECK_STR(e.msg, "report runqlat: sched:sched_wakeup was not recorded: record with "
			 "-e sched:sched_wakeup@all,sched:sched_wakeup_new@all,sched:sched_switch@all");
	sqlite3_close(db);
	fclose(null);
	printf("tpreports: ok\n");
	return 0;
}
