/*
 * tests/test_workload_prefork.c -- a pre-fork server under every collector:
 * every worker's requests come back, every worker's memory is sampled from
 * its start to its end, and a collection that walks the shared heap in a
 * worker copies it (copy-on-write), where no collection does not.
 */
#include "workload_test.h"

static void every_worker_reports_and_is_sampled_under_every_collector(void **state)
{
    (void)state;
    const char *settings[] = {"live_mb=8", "workers=2", "requests=100", "touch=200", NULL};
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "prefork", settings, &r);
        assert_int_equal(r.ops, 200);
        assert_int_equal(r.nlatency, 200);
        assert_int_equal(r.nworkers, 2);
        int started[2] = {0, 0};
        for (size_t i = 0; i < r.nworkers_samples; i++) {
            assert_true(r.workers[i].worker == 0 || r.workers[i].worker == 1);
            started[r.workers[i].worker]++;
            assert_gt(r.workers[i].rss_bytes, 0);
        }
        assert_true(started[0] >= 2 && started[1] >= 2); /* at the start and at the end */
        assert_true(r.shared_end_bytes > (4 << 20));     /* most of the 8 MB app is still shared */
        assert_gt(r.pss_total_bytes, 0);
        run_result_free(&r);
    }
}

/* What one worker on a 16 MB app copied over 20 requests (Private_Dirty at its end). */
static long long copied(const char *collector, const char *const *csettings, size_t ncs, const char *touch)
{
    const char *settings[] = {"live_mb=16", "workers=1", "requests=20", touch};
    const size_t n = sizeof settings / sizeof settings[0];
    run_config cfg = {.seed = 1, .record = 1, .sample_ms = 0};
    cfg.collector = gclab_collector_find(collector);
    cfg.workload = workload_find("prefork");
    char err[256];
    assert_int_equal(gclab_params_parse(cfg.workload->params, cfg.workload->nparams, "prefork", settings,
                                        n, cfg.wparams, err, sizeof err), 0);
    for (size_t i = 0; i < ncs; i++)
        cfg.csettings[i] = csettings[i];
    cfg.ncsettings = ncs;
    run_result r;
    assert_int_equal(run_once(&cfg, &r, err, sizeof err), 0);
    long long c = r.private_dirty_end_bytes;
    run_result_free(&r);
    return c;
}

/* Reads write refcounts and so copy pages; frozen immortal objects are not
 * written.  (The records' field dicts are untracked, so never frozen: their
 * pages are still copied.) */
static void immortal_frozen_objects_are_read_without_copying(void **state)
{
    (void)state;
    const char *mortal[] = {"freeze=prefork"}, *immortal[] = {"freeze=prefork", "immortal=true"};
    long long m = copied("disabled", mortal, 1, "touch=20000");
    long long i = copied("disabled", immortal, 2, "touch=20000");
    print_message("worker copied %lld KiB reading mortal records, %lld KiB reading immortal ones\n",
                  m >> 10, i >> 10);
    assert_true(m > i + (1 << 20));
}

static void a_worker_that_walks_the_shared_heap_copies_it(void **state)
{
    (void)state;
    static const char *const every_request[] = {"every=1", "generation=2"};
    long long none = copied("disabled", NULL, 0, "touch=0");
    long long full = copied("manual-event", every_request, 2, "touch=0"); /* a full one per request */
    print_message("worker copied %lld KiB without collections, %lld KiB with a full one per request\n",
                  none >> 10, full >> 10);
    /* The collector writes the headers of tracked containers -- here the
     * records' instances, which the allocator keeps in slabs of their own
     * size (about 96 of each record's 600 bytes): it dirties those pages,
     * not the whole heap. */
    assert_true(full > none + (2 << 20));
    assert_gt(full, 4 * none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_worker_reports_and_is_sampled_under_every_collector),
        cmocka_unit_test(a_worker_that_walks_the_shared_heap_copies_it),
        cmocka_unit_test(immortal_frozen_objects_are_read_without_copying),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
