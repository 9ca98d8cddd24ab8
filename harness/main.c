/*
 * harness/main.c -- the `gclab` command.
 */
#include "demo.h"

#include <gclab/gclab.h>

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: gclab <command> [options]\n\n"
                 "commands:\n"
                 "  list       every collector with its description and parameters\n"
                 "  demo       the seed articles' cycles under every collector\n"
                 "  --version  the version, commit and allocator of this build\n"
                 "  --help     this text\n");
}

static int cmd_list(void)
{
    printf("collectors:\n");
    for (size_t i = 0; i < gclab_collector_count(); i++) {
        const gclab_collector_info *ci = gclab_collector_at(i);
        printf("  %-14s %s\n", ci->name, ci->description);
        if (ci->nthresholds) {
            printf("  %-14s   thresholds:", "");
            for (int t = 0; t < ci->nthresholds; t++)
                printf("%s%ld", t ? ", " : " ", ci->default_thresholds[t]);
            printf(" (objects)\n");
        }
        for (size_t p = 0; p < ci->nparams; p++) {
            const gclab_param *pa = &ci->params[p];
            printf("  %-14s   %s=%s %s  %s\n", "", pa->name, pa->def, pa->unit ? pa->unit : "", pa->help);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("gclab %s\n", gclab_version());
        return 0;
    }
    if (strcmp(cmd, "list") == 0)
        return cmd_list();
    if (strcmp(cmd, "demo") == 0)
        return gclab_demo_main(argc - 1, argv + 1);
    fprintf(stderr, "gclab: unknown command '%s' (valid: list, demo, --version, --help)\n", cmd);
    return 2;
}
