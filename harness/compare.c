/* harness/compare.c -- gclab compare; being written (cli_compare is in summary.c until then) */
typedef int gclab_compare_placeholder;
