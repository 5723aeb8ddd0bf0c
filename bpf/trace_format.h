/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * On-disk layout of a .bpfrec trace file: file header, blocks, metadata
 * records. Shared by the writer (record/) and the reader (analyze/).
 * record/FORMAT.md is the prose version of this file; keep both in step.
 * All integers are little-endian (the byte order of the recording host,
 * which is checked at read time through the header magic).
 */
#ifndef BPFREC_TRACE_FORMAT_H
#define BPFREC_TRACE_FORMAT_H

#include <stdint.h>
#include "bpfrec.h"

#define BF_MAGIC "BPFREC\r\n" /* \r\n catches text-mode mangling */
#define BF_VERSION 2 /* bump on any incompatible layout change: record/FORMAT.md */
#define BF_VERSION_MIN 1 /* the oldest version analyze reads */

struct bf_file_hdr {
	char magic[8];
	uint16_t version;
	uint16_t hdr_size; /* sizeof(struct bf_file_hdr): room to grow */
	uint32_t flags; /* BF_FLAGS_KNOWN; a reader refuses any other */
	uint64_t created_ns; /* CLOCK_REALTIME at creation */
};

/*
 * File header flags this version defines: none. A writer sets a flag only
 * for a change that a reader not knowing it would misread.
 */
#define BF_FLAGS_KNOWN 0u

#define BF_BLOCK_MAGIC 0x4b4c4246u /* "FBLK" */
/*
 * Limits a reader enforces before it allocates or decodes (record/FORMAT.md,
 * "Block"), so that a small hostile file cannot expand to gigabytes:
 * a META, EVENTS or STOP block decodes to at most BF_BLOCK_RAW_MAX bytes
 * and stores at most that many; a block of another kind (a large object)
 * at most BF_OBJ_BLOCK_MAX either way; a zstd block decodes to at most
 * BF_BLOCK_RATIO_MAX times its stored size (recorded blocks: about 11).
 */
#define BF_BLOCK_RAW_MAX (4u << 20)
#define BF_OBJ_BLOCK_MAX (64u << 20)
#define BF_BLOCK_RATIO_MAX 256u

enum bf_block_kind {
	BF_BLK_META = 1, /* recorder metadata, written at start */
	BF_BLK_EVENTS = 2, /* kernel events */
	BF_BLK_STOP = 3, /* stop summary: the last block of a clean stop */
};

enum bf_codec {
	BF_CODEC_NONE = 0,
	BF_CODEC_ZSTD = 1, /* one zstd frame */
};

/*
 * Each block is independently decodable. crc32 (zlib) covers this header
 * with crc32 = 0 followed by the stored payload, so a reader can stop at
 * the last good block after a crash or truncation.
 */
struct bf_block_hdr {
	uint32_t magic;
	uint8_t kind; /* enum bf_block_kind */
	uint8_t codec; /* enum bf_codec */
	uint16_t reserved;
	uint32_t raw_len; /* payload size after decoding */
	uint32_t stored_len; /* payload size in the file */
	uint32_t nrecords;
	uint32_t crc32;
};

struct meta_kv {
	struct ev_hdr h;
	char strs[]; /* key\0value\0 */
};

struct meta_syscall {
	struct ev_hdr h;
	int32_t nr;
	uint32_t nargs; /* arguments recorded, 7: unknown (all six) */
	char name[]; /* NUL-terminated */
};

/* h.pid = h.tid = pid; h.ts = process start (same clock as events) */
struct meta_proc {
	struct ev_hdr h;
	uint32_t ppid;
	uint32_t uid;
	char comm[BPFREC_COMM_LEN];
	char strs[]; /* exe\0cmdline\0cwd\0 (argv joined by spaces) */
};

/* h.pid = process, h.tid = thread, h.ts = thread start */
struct meta_thread {
	struct ev_hdr h;
	char comm[BPFREC_COMM_LEN];
};

/* h.pid = owning process */
struct meta_fd {
	struct ev_hdr h;
	int32_t fd;
	uint32_t flags; /* open flags from /proc/PID/fdinfo (O_CLOEXEC ...) */
	uint64_t pos;
	char path[]; /* readlink of /proc/PID/fd/N, NUL-terminated */
};

enum probe_status {
	PROBE_ATTACHED = 0,
	PROBE_FALLBACK = 1, /* attached through its fallback */
	PROBE_FAILED = 2,
	PROBE_SKIPPED = 3, /* group not selected */
};

struct meta_probe {
	struct ev_hdr h;
	uint32_t status; /* enum probe_status */
	uint32_t group; /* enum ev_group */
	char strs[]; /* name\0attach point\0reason\0 */
};

/* h.cpu = CPU */
struct meta_drops {
	struct ev_hdr h;
	uint32_t group; /* enum ev_group */
	uint32_t pad;
	uint64_t count;
};

/* h.ts = 0; the format file as tracefs gave it (name, ID, fields, print fmt) */
struct meta_tp {
	struct ev_hdr h;
	uint32_t id; /* kernel id, the ev_tp.id of its events */
	uint32_t mode; /* enum tp_filter it was recorded with */
	char strs[]; /* system\0event\0format\0 */
};

/* h.cpu = CPU */
struct meta_tp_drops {
	struct ev_hdr h;
	uint32_t id;
	uint32_t pad;
	uint64_t count;
};

/* Keys of META_KV records in the META block. */
#define BF_KEY_HOSTNAME "hostname"
#define BF_KEY_KERNEL "kernel_release" /* uname -r */
#define BF_KEY_KERNEL_VERSION "kernel_version" /* uname -v */
#define BF_KEY_MACHINE "machine" /* uname -m */
#define BF_KEY_NCPUS "ncpus"
#define BF_KEY_CMDLINE "record_cmdline"
#define BF_KEY_REALTIME_OFFSET "realtime_offset_ns" /* wall = ts + this */
#define BF_KEY_START_TS "start_ts" /* monotonic ns at start */
#define BF_KEY_RECORDER_PID "recorder_pid"
#define BF_KEY_TARGET "target" /* all | pid:N | comm:X | command:PID */
#define BF_KEY_GROUPS "groups" /* comma-separated */
#define BF_KEY_ARGUMENTS "arguments" /* recorded | dropped (record --no-args) */
#define BF_KEY_NARGS_SOURCE "syscall_nargs_source" /* tracefs used, or why not */
/* Keys of META_KV records in the STOP block. */
#define BF_KEY_STOP_TS "stop_ts"
#define BF_KEY_DURATION "duration_ns"
#define BF_KEY_STOP_REASON "stop_reason" /* signal | command-exit | duration | error */
#define BF_KEY_EVENTS_PREFIX "events_" /* events_<group> */
#define BF_KEY_DROPS "drops_total"
#define BF_KEY_BYTES_RAW "bytes_raw"
#define BF_KEY_BYTES_STORED "bytes_stored"
#define BF_KEY_EXIT_STATUS "command_exit_status"

/* Names of enum ev_group, as used by `record -e` and in the trace. */
static const char *const bf_group_names[GRP_MAX] = {
#define GROUP(id, name, ...) [id] = name,
#include "groups.def"
};

/* The group a group is a subset of, or -1 (files: SF_FILES syscalls). */
static const int bf_group_parent[GRP_MAX] = {
#define GROUP(id, name, parent, ...) [id] = parent,
#include "groups.def"
};

/* What the stop summary calls a group's events. */
static const char *const bf_group_labels[GRP_MAX] = {
#define GROUP(id, name, parent, label, ...) [id] = label,
#include "groups.def"
};

/* One entry per type of bpf/records.def; name NULL: no such type. */
struct bf_rec_desc {
	const char *name;
	uint16_t min_size; /* fixed part */
	uint8_t nstrs; /* NUL-terminated strings right after it */
	uint8_t nopt; /* then optional ones */
	int8_t group; /* enum ev_group, -1: recorder metadata */
};

static const struct bf_rec_desc bf_rec_descs[BF_TYPE_END] = {
#define EV(num, id, group, name, st, min_size, nstrs, nopt, ...) \
	[id] = { #name, min_size, nstrs, nopt, group },
#define META(num, id, name, st, min_size, nstrs, nopt, ...) [id] = { #name, min_size, nstrs, nopt, -1 },
#include "records.def"
};

/*
 * Build-time checks of records.def: each type number and name once, in
 * its range, and the fixed part no smaller than the header.
 */
enum bf_rec_unique {
#define EV(num, id, group, name, ...) BF_REC_NUM_##num, BF_REC_NAME_##name,
#define META(num, id, name, ...) BF_REC_NUM_##num, BF_REC_NAME_##name,
#include "records.def"
};
#define EV(num, id, group, name, st, min_size, ...)                                        \
	_Static_assert(num >= 1 && num < BF_EV_TYPE_END && group >= 0 && group < GRP_MAX &&  \
			       min_size >= sizeof(struct ev_hdr),                            \
		       #id ": kernel events are 1..63, of a group");
#define META(num, id, name, st, min_size, ...)                                            \
	_Static_assert(num >= BF_EV_TYPE_END && num < BF_TYPE_END &&                         \
			       min_size >= sizeof(struct ev_hdr),                            \
		       #id ": recorder metadata is 64..127");
#include "records.def"

/* The descriptor of record type TYPE, or NULL for a type records.def lacks. */
static inline const struct bf_rec_desc *bf_rec_desc(uint32_t type)
{
	return type < BF_TYPE_END && bf_rec_descs[type].name ? &bf_rec_descs[type] : NULL;
}

static inline uint32_t bf_align8(uint32_t n)
{
	return (n + 7) & ~7u;
}

#endif /* BPFREC_TRACE_FORMAT_H */
