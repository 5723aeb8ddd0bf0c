// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one definition of every knob declared in common.bpf.h. */
#include "common.bpf.h"

const volatile __u32 self_tgid = 0;
const volatile __u32 groups = 0;
const volatile bool filter_traced = false;
const volatile bool follow_children = false;
const volatile bool filter_comm = false;
const volatile char comm_filter[BPFREC_COMM_LEN] = {};
const volatile __u32 wakeup_shift = 18; /* 256 KB */
const volatile __u32 launch_tgid = 0;
const volatile bool no_args = false;
const volatile __u64 xring_mask = 4095;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
/* set by the recorder at stop: tracepoint links take long to close */
volatile bool capture_off = false;
