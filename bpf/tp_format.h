/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Tracepoint layouts as tracefs gives them (events/SYSTEM/EVENT/format),
 * parsed the same way by the recorder (what to copy, `record -l -v`) and
 * the analyzer (decoding a trace by the layout it carries in META_TP):
 * fields with their C type, offset, size and signedness, arrays and
 * __data_loc/__rel_loc fields, and the name tables of the print fmt's
 * __print_symbolic/__print_flags.
 */
#ifndef BPFREC_TP_FORMAT_H
#define BPFREC_TP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define TPF_MAX_FIELDS 64 /* the kernel's widest event has 24 fields */
#define TPF_NAME_MAX 64
#define TPF_TYPE_MAX 80

/* How a field reads: what the analyzer makes of it. */
enum tpf_kind {
	TPF_INT, /* signed integer of 1, 2, 4 or 8 bytes */
	TPF_UINT, /* unsigned integer */
	TPF_TEXT, /* char[N] or __data_loc char[]: a string */
	TPF_BLOB, /* any other array, or an odd size */
};

#define TPF_F_ARRAY 1u /* TYPE NAME[N] */
#define TPF_F_DATA_LOC 2u /* u32: offset in the entry (low 16 bits), length (high 16) */
#define TPF_F_REL_LOC 4u /* the same, offset counted from the end of the field */
#define TPF_F_COMMON 8u /* common_type, common_pid...: not the event's own */

struct tpf_field {
	char name[TPF_NAME_MAX];
	char type[TPF_TYPE_MAX]; /* as declared, array suffix included: "char[16]" */
	uint16_t offset, size;
	uint8_t signed_flag; /* the format's "signed:" (the C type wins over it) */
	uint8_t kind; /* enum tpf_kind */
	uint8_t flags; /* TPF_F_* */
	uint16_t array_len; /* TPF_F_ARRAY: elements, 0 for a flexible array */
	uint8_t width; /* integers: bytes of the value, the C type's when narrower
			* than the field (syscall tracepoints keep an int in 8) */
};

struct tp_format {
	char name[TPF_NAME_MAX];
	uint32_t id;
	uint32_t fixed_size; /* end of the last field: dynamic data starts here */
	int nfields;
	struct tpf_field fields[TPF_MAX_FIELDS];
	const char *print_fmt; /* into the parsed text, up to its end; "" if none */
};

/* Parse the format file TEXT (which must outlive F). 0, or -EINVAL. */
int tpf_parse(const char *text, struct tp_format *f);

/*
 * Field F of the entry DATA (LEN bytes) as an integer: unsigned 64-bit
 * values keep their bits (two's complement). 0 when it lies beyond LEN.
 */
int64_t tpf_int(const struct tpf_field *f, const uint8_t *data, size_t len);

/*
 * The bytes of field F in DATA: the field itself, or for __data_loc and
 * __rel_loc the dynamic data it points at, cut to LEN. Text is cut at its
 * first NUL. Sets *N; returns NULL (and *N = 0) when nothing is there.
 */
const uint8_t *tpf_bytes(const struct tpf_field *f, const uint8_t *data, size_t len,
			 size_t *n);

/*
 * Each { value, "name" } of every __print_symbolic/__print_flags in
 * PRINT_FMT whose first argument names a field (REC->field): FN gets the
 * field, the value and the name (not NUL-terminated: NAME_LEN bytes).
 * Stops at FN's first nonzero return and returns it.
 */
typedef int (*tpf_sym_fn)(void *ctx, const char *field, int64_t value, const char *name,
			  size_t name_len, int is_flags);
int tpf_symbols(const char *print_fmt, tpf_sym_fn fn, void *ctx);

#endif /* BPFREC_TP_FORMAT_H */
