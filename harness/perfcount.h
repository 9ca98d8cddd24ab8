/*
 * harness/perfcount.h -- hardware and software counters through
 * perf_event_open(2), around one region of a run.
 *
 * Software events (task-clock, page faults, context switches) work on
 * every Linux; hardware events are "not supported" on some VMs, including
 * ours.  Whatever cannot be opened or read is NA (-1); it never fails a run.
 */
#ifndef GCLAB_HARNESS_PERFCOUNT_H
#define GCLAB_HARNESS_PERFCOUNT_H

#include <stdint.h>

typedef enum perf_counter_id {
    PC_TASK_CLOCK,       /* ns */
    PC_PAGE_FAULTS,      /* count */
    PC_CONTEXT_SWITCHES, /* count */
    PC_CYCLES,           /* count, hardware */
    PC_INSTRUCTIONS,     /* count, hardware */
    PC_CACHE_MISSES,     /* count, hardware */
    PC_N
} perf_counter_id;

/* CSV column names, in perf_counter_id order: task_clock_ns, page_faults,
 * context_switches, cycles, instructions, cache_misses. */
extern const char *const perf_counter_columns[PC_N];

/* The perf_event_attr type and config of each counter, in perf_counter_id
 * order (the tests probe the same events). */
typedef struct perf_counter_event {
    uint32_t type;
    uint64_t config;
} perf_counter_event;
extern const perf_counter_event perf_counter_events[PC_N];

typedef struct perf_counters perf_counters;

perf_counters *perf_counters_open(void); /* this thread; never NULL */
void perf_counters_start(perf_counters *pc); /* reset and enable */
void perf_counters_stop(perf_counters *pc);  /* disable */
/* Counts since start, scaled for multiplexing (time_enabled / time_running);
 * -1 for a counter that could not be opened or read. */
void perf_counters_read(perf_counters *pc, int64_t out[PC_N]);
void perf_counters_close(perf_counters *pc);

#endif
