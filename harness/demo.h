/* harness/demo.h -- `gclab demo`: the seed articles' cycles under every collector. */
#ifndef GCLAB_HARNESS_DEMO_H
#define GCLAB_HARNESS_DEMO_H

int gclab_demo_main(int argc, char **argv);

#endif
