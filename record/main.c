// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * record: options -> (fork the command, held) -> open -> set knobs -> load
 * -> attach -> metadata -> (release the command) -> poll -> stop -> summary.
 * See README.md and record/FORMAT.md.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sysexits.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpfrec.skel.h"
#include "drain.h"
#include "launch.h"
#include "metadata.h"
#include "options.h"
#include "outfile.h"
#include "probes.h"
#include "records.h"
#include "summary.h"
#include "syscall_table.h"
#include "tp_probe.h"
#include "tracepoints.h"

#define FLUSH_NS 1000000000ull /* a crash loses at most this much */
#define FALLBACK_POLL_MS 100 /* -p's end noticed by polling: no pidfd */
#define EXIT_RECORD_FAILED 125 /* as env, nice, timeout: not a status of COMMAND */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || !verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void set_knobs(struct bpfrec_bpf *skel, const struct rec_opts *o,
		      pid_t launched, uint32_t ring_size, uint32_t xring_size)
{
	struct bpfrec_bpf__rodata *ro = skel->rodata;
	int ncpu = libbpf_num_possible_cpus();

	ro->self_tgid = getpid();
	ro->groups = o->groups;
	ro->filter_traced = o->pid || o->command;
	ro->follow_children = o->command != NULL;
	ro->launch_tgid = launched > 0 ? launched : 0;
	ro->filter_comm = o->comm != NULL;
	if (o->comm)
		strncpy((char *)ro->comm_filter, o->comm, BPFREC_COMM_LEN - 1);
	/*
	 * A batch: a power of two, no larger than a quarter of a CPU's ring:
	 * the rest is room for what the CPU produces until we run (the drain
	 * empties a ring a quarter full at once, merge.c).
	 */
	ro->wakeup_shift = 0;
	while (ro->wakeup_shift < 31 && 2ull << ro->wakeup_shift <= o->wakeup_bytes &&
	       2ull << ro->wakeup_shift <= ring_size / 4)
		ro->wakeup_shift++;
	ro->no_args = o->no_args;
	ro->xring_mask = xring_size - 1;
	bpf_map__set_max_entries(skel->maps.events, ncpu > 0 ? ncpu : 1);
	bpf_map__set_max_entries(skel->maps.xrings, ncpu > 0 ? ncpu : 1);
	bpf_map__set_value_size(skel->maps.xrings, drain_xring_value_size(xring_size));
}

/* SF_* per syscall number into the kernel's sys_info map. */
static int load_sys_info(struct bpfrec_bpf *skel, const uint32_t *sys_flags)
{
	int fd = bpf_map__fd(skel->maps.sys_info);

	for (uint32_t nr = 0; nr < BPFREC_NR_SYSCALLS; nr++)
		if (sys_flags[nr] && bpf_map_update_elem(fd, &nr, &sys_flags[nr], BPF_ANY))
			return -errno;
	return 0;
}

static int trace_pid(struct bpfrec_bpf *skel, pid_t pid)
{
	uint8_t one = 1;

	return bpf_map_update_elem(bpf_map__fd(skel->maps.traced), &pid, &one,
				   BPF_ANY) ? -errno : 0;
}

/*
 * The stop signals stay blocked but while the loop sleeps (RUN_MASK), so
 * one that arrives just before the sleep still cuts it short.
 */
static void install_signals(sigset_t *run_mask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t stops;

	/* No SA_RESTART: a signal must cut the poll short. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, run_mask);
}

/*
 * A pidfd of PID in the drain's wait set: its end wakes the loop at once.
 * -1 where pidfds are missing (kernel < 5.3) or PID is not a process.
 */
static int watch_exit(struct drain *d, pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0 && drain_watch(d, fd)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* Milliseconds from NOW until WHEN, rounded up, 0 when past. */
static int ms_until(uint64_t when, uint64_t now)
{
	return when > now ? (int)((when - now + 999999) / 1000000) : 0;
}

/* The shell's convention: the exit status, or 128 + the killing signal. */
static int shell_status(int wstatus)
{
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus);
}

/*
 * -p PID: a process, named by its pid (the traced map holds tgids: another
 * thread's id would record nothing). Says why not.
 */
static int check_pid(pid_t pid)
{
	char path[64], line[128];
	long tgid = -1;
	FILE *f;

	if (kill(pid, 0) && errno == ESRCH) {
		fprintf(stderr, "record: no process with pid %d\n", pid);
		return -ESRCH;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re"); /* without /proc, not checked */
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %ld", &tgid) == 1)
			break;
	if (f)
		fclose(f);
	if (tgid > 0 && tgid != pid) {
		fprintf(stderr, "record: %d is a thread of process %ld: give -p %ld\n", pid, tgid,
			tgid);
		return -EINVAL;
	}
	return 0;
}

static const char *load_hint(int err)
{
	if (err == -EPERM)
		return geteuid() ? " (run as root, or with CAP_BPF and CAP_PERFMON)" :
				   " (BPF denied: lockdown or seccomp?)";
	if (err == -EACCES)
		return " (the verifier rejected a program: -v shows its log)";
	return "";
}

/* Record as O (parsed from ARGV) says; returns the exit status. */
static int record(const struct rec_opts *o, int argc, char **argv)
{
	static uint32_t sys_flags[BPFREC_NR_SYSCALLS];
	struct rec_summary sum = { .exit_status = -1 };
	struct launch child = { .pid = -1, .go_fd = -1 };
	struct bpfrec_bpf *skel = NULL;
	struct bf_writer *w = NULL;
	struct probes *probes = NULL;
	struct tp_probe *tprobe = NULL;
	struct tp_set tps;
	struct drain *drain = NULL;
	struct bf_writer_stats st;
	const char *nargs_source;
	uint64_t last_flush, deadline = 0;
	sigset_t run_mask;
	uint32_t ring_size, xring_size;
	bool xrings = o->groups & ((1u << GRP_SYSCALLS) | (1u << GRP_FILES));
	int err, end_fd = -1;

	verbose = o->verbose;
	err = tp_resolve(&tps, o->tp_specs, o->ntp_specs);
	if (err) /* it said which name or filter and why; a filter is a usage error */
		return err == TP_RESOLVE_USAGE ? EX_USAGE : EXIT_RECORD_FAILED;
	/* before the BPF load: a bad target or -o fails at once */
	if ((o->pid && check_pid(o->pid)) || outfile_check(o->output))
		return EXIT_RECORD_FAILED;
	libbpf_set_print(libbpf_print);

	/* Forked first so its pid can be a load-time knob; it waits for us. */
	if (o->command) {
		err = launch_prepare(&child, o->command);
		if (err) {
			fprintf(stderr, "record: fork: %s\n", strerror(-err));
			return EXIT_RECORD_FAILED;
		}
	}
	skel = bpfrec_bpf__open();
	if (!skel) {
		err = -errno;
		fprintf(stderr, "record: opening BPF object: %s\n", strerror(-err));
		goto cleanup;
	}
	/* each CPU's share: half for its ring buffer, half for its xring (a
	 * page when no syscall records are selected) */
	ring_size = rec_ring_per_cpu(o->buffer_bytes / (xrings ? 2 : 1),
				     libbpf_num_possible_cpus());
	xring_size = xrings ? ring_size : (uint32_t)sysconf(_SC_PAGESIZE);
	set_knobs(skel, o, child.pid, ring_size, xring_size);
	tp_probe_configure(skel, &tps);
	err = probes_configure(&probes, skel, o);
	if (err) {
		fprintf(stderr, "record: %s\n", strerror(-err));
		goto cleanup;
	}
	err = bpfrec_bpf__load(skel);
	if (err) {
		fprintf(stderr, "record: loading BPF programs: %s%s\n",
			strerror(-err), load_hint(err));
		goto cleanup;
	}
	syscall_table_build(sys_flags, BPFREC_NR_SYSCALLS, xrings, &nargs_source);
	err = load_sys_info(skel, sys_flags);
	if (!err && o->pid)
		err = trace_pid(skel, o->pid);
	if (err) {
		fprintf(stderr, "record: filling BPF maps: %s\n", strerror(-err));
		goto cleanup;
	}

	err = outfile_create(o->output); /* says why it cannot */
	if (err < 0)
		goto cleanup;
	err = bf_writer_fdopen(&w, err, o->level);
	if (err) {
		fprintf(stderr, "record: writing %s: %s\n", o->output, strerror(-err));
		goto cleanup;
	}
	/* the rings in place before any probe runs: none is lost uncounted */
	err = drain_open(&drain, skel->maps.events, ring_size, skel->maps.xrings, xring_size, w,
			 sys_flags);
	if (err) {
		fprintf(stderr, "record: creating ring buffers: %s\n", strerror(-err));
		goto cleanup;
	}
	install_signals(&run_mask);
	sum.start_ts = mono_ns();
	err = meta_write_host(w, o, argc, argv) ?:
	      meta_write_syscalls(w, sys_flags, nargs_source);
	if (!err) {
		err = probes_attach(probes, skel, w) ?: tp_probe_attach(&tprobe, skel, &tps, w);
		if (err)
			goto cleanup; /* probes_attach said which probe and why */
	}
	/* After attach: whatever starts now is seen as events, no gap. The
	 * held command is in the snapshot with the fds it inherited. */
	if (!err)
		err = meta_write_snapshot(w, o, child.pid);
	/* In every mode, before the command runs: scripts wait for this line. */
	if (!err)
		fprintf(stderr, "record: recording to %s, Ctrl-C to stop\n", o->output);
	if (!err && o->command)
		err = launch_start(&child);
	if (err) {
		fprintf(stderr, "record: starting: %s\n", strerror(-err));
		goto cleanup;
	}

	/* The loop sleeps until data, a signal, the end of the process it
	 * waits for, the next flush or the deadline: no polling interval. */
	if (child.pid > 0 || o->pid)
		end_fd = watch_exit(drain, child.pid > 0 ? child.pid : o->pid);
	if (o->duration > 0)
		deadline = sum.start_ts + o->duration * 1e9;
	last_flush = mono_ns();
	sum.stop_reason = "signal";
	while (!stop_signal) {
		uint64_t now = mono_ns();
		int status, timeout = ms_until(last_flush + FLUSH_NS, now);

		if (deadline && ms_until(deadline, now) < timeout)
			timeout = ms_until(deadline, now);
		if (o->pid && end_fd < 0 && timeout > FALLBACK_POLL_MS)
			timeout = FALLBACK_POLL_MS;
		err = drain_poll(drain, timeout, &run_mask);
		if (err < 0)
			break;
		err = 0;
		now = mono_ns();
		if (now - last_flush >= FLUSH_NS) {
			err = bf_writer_flush(w);
			if (err)
				break;
			last_flush = now;
		}
		if (child.pid > 0 && waitpid(child.pid, &status, WNOHANG) == child.pid) {
			sum.exit_status = status;
			child.pid = -1;
			sum.stop_reason = "command-exit";
			break;
		}
		/* a pidfd is readable once the process ended, reaped or not */
		if (o->pid && (end_fd >= 0 ? readable(end_fd) : kill(o->pid, 0) && errno == ESRCH)) {
			sum.stop_reason = "target-exit";
			break;
		}
		if (deadline && now >= deadline) {
			sum.stop_reason = "duration";
			break;
		}
	}

	/* Stopped before the command ended: end it, as perf does, and keep
	 * how it ended (its exit events too, the probes are still on). */
	if (child.pid > 0 && child.go_fd < 0) {
		kill(child.pid, SIGTERM);
		/* a command that ignores SIGTERM: a second stop signal kills it */
		sigprocmask(SIG_SETMASK, &run_mask, NULL);
		if (waitpid(child.pid, &sum.exit_status, 0) < 0 && errno == EINTR) {
			kill(child.pid, SIGKILL);
			waitpid(child.pid, &sum.exit_status, 0);
		}
		child.pid = -1;
	}
	/* Stop the sources first, then take everything that is left: the
	 * stop time is when capture ended, not when the last link closed. */
	skel->bss->capture_off = true;
	probes_detach(probes);
	sum.stop_ts = mono_ns();
	tp_probe_detach(tprobe);
	if (!err) {
		int n = drain_all(drain);

		err = n < 0 ? n : 0;
	}
	if (err) {
		sum.stop_reason = "error";
		fprintf(stderr, "record: writing %s: %s (blocks written so far are kept)\n",
			o->output, strerror(-err));
	}
	drain_counts(drain, sum.events);
	if (!err)
		err = summary_read_drops(&sum, skel->maps.drops, w) ?:
		      tp_probe_write_drops(tprobe, w) ?: summary_write(&sum, w);
	bf_writer_stats(w, &st);
	{
		int cerr = bf_writer_close(w);

		w = NULL;
		err = err ?: cerr;
	}
	if (err)
		fprintf(stderr, "record: finishing %s: %s\n", o->output, strerror(-err));
	else
		summary_print(&sum, &st, o->output);

cleanup:
	if (child.pid > 0) {
		if (child.go_fd >= 0) {
			launch_abort(&child);
		} else {
			/* Stopped before the command ended: end it, as perf does. */
			kill(child.pid, SIGTERM);
			waitpid(child.pid, &sum.exit_status, 0);
		}
	}
	if (end_fd >= 0)
		close(end_fd);
	drain_close(drain);
	probes_free(probes);
	tp_probe_free(tprobe);
	tp_set_free(&tps);
	if (w)
		bf_writer_close(w);
	bpfrec_bpf__destroy(skel);
	if (err)
		return EXIT_RECORD_FAILED;
	/* like time and strace: the command's status is ours */
	return sum.exit_status >= 0 ? shell_status(sum.exit_status) : 0;
}

int main(int argc, char **argv)
{
	struct rec_opts o;
	int ret;

	rec_parse_args(argc, argv, &o);
	ret = o.list ? tp_list(o.list_glob, o.verbose) : record(&o, argc, argv);
	rec_opts_free(&o);
	return ret;
}
