/*
 * tests/pythons.h -- the real interpreters a test compares gclab with:
 * /usr/bin/python3 (scripts/setup.sh installs it), then every pyenv 3.x.
 */
#ifndef GCLAB_TESTS_PYTHONS_H
#define GCLAB_TESTS_PYTHONS_H

#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* /usr/bin/python3, then every pyenv 3.x: their paths, at most 16. */
static inline int find_pythons(char paths[16][512])
{
    int np = 0;
    if (access("/usr/bin/python3", X_OK) == 0)
        snprintf(paths[np++], 512, "/usr/bin/python3");
    FILE *f = popen("pyenv root 2>/dev/null", "r");
    char root[400] = "";
    if (f) {
        if (!fgets(root, sizeof root, f))
            root[0] = '\0';
        pclose(f);
        root[strcspn(root, "\n")] = '\0';
    }
    if (*root) {
        char pat[1024];
        snprintf(pat, sizeof pat, "%s/versions/3.*/bin/python", root);
        glob_t g;
        if (glob(pat, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc && np < 16; i++)
                snprintf(paths[np++], 512, "%s", g.gl_pathv[i]);
            globfree(&g);
        }
    }
    return np;
}

#endif
