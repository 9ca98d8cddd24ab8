#!/usr/bin/env python3
"""scripts/measure-sizes.py -- what sys.getsizeof reports on this interpreter
for the objects gclab models, as `name,value` lines (bytes).  getsizeof adds
the GC header of a GC object (and 3.12+'s pre-header), so every figure here
is an object's whole footprint as CPython counts it.  collectors/sizes.def
holds the figures for each cpython-3.x profile; run this on each interpreter
to check or redo them:

    for v in 3.8.18 3.9.18 3.10.13 3.12.1 3.13.0; do
        $(pyenv root)/versions/$v/bin/python3 -I scripts/measure-sizes.py; done
    /usr/bin/python3.11 -I scripts/measure-sizes.py

Lists are built by appending one item at a time (so the figures show the
growth pattern), dicts by inserting int keys one at a time, instances of
`class C: pass` by setting attributes a0, a1, ... in order.  On 3.8-3.10 an
instance's __dict__ is a separate object that getsizeof(instance) leaves
out: `instance_dict_k` is getsizeof(a.__dict__) (read after the attributes
are set; reading it then does not change its size there).
"""
import sys

S = sys.getsizeof


def out(name, value):
    print(f"{name},{value}")


out("version", "%d.%d.%d" % sys.version_info[:3])

# atoms
for v in (0, 1, 2**30 - 1, 2**30, 2**60 - 1, 2**60, 2**63 - 1, -(2**63)):
    out(f"int_{v}", S(v))
for n in (0, 1, 10, 100):
    out(f"str_{n}", S("a" * n + ""))
    out(f"bytes_{n}", S(b"a" * n))

# tuples
out("tuple_0", S(()))
for n in (1, 2, 5, 100):
    out(f"tuple_{n}", S(tuple(range(n))))

# lists: appended one at a time; list(range(n)) / [..]*n are exact-size displays
l = []
out("list_0", S(l))
for i in range(1, 101):
    l.append(i)
    out(f"list_append_{i}", S(l))
for n in (1, 5, 100):
    out(f"list_display_{n}", S([0] * n))

# dicts: int keys inserted one at a time, then str keys
d = {}
out("dict_0", S(d))
for i in range(1, 101):
    d[i] = i
    out(f"dict_int_{i}", S(d))
d = {}
for i in range(1, 101):
    d["k%d" % i] = i
    out(f"dict_str_{i}", S(d))

# dict resizes: 5 int keys, values replaced, `dels` deleted, one new key;
# a str table given an int key
for dels in (4, 3, 2, 1):
    d = {}
    for i in range(5):
        d[1000 + i] = i
    for i in range(5):
        d[1000 + i] = i + 1
    for i in range(dels):
        del d[1000 + i]
    d[7] = 7
    out(f"dict_del{dels}_insert", S(d))
d = {}
for i in range(5):
    d[1000 + i] = i
del d[1000]
d[1000] = 0
out("dict_del_reinsert", S(d))
for n in (0, 1, 2, 3):
    d = {}
    for i in range(n):
        d["s%d" % i] = i
    if n == 0:
        d["a"] = 1
        del d["a"]
    d[5] = 5
    out(f"dict_str{n}_then_int", S(d))


class C:
    pass


for k in range(0, 12):
    a = C()
    for j in range(k):
        setattr(a, "a%d" % j, j)
    out(f"instance_{k}", S(a))
    if sys.version_info < (3, 11):
        out(f"instance_dict_{k}", S(a.__dict__))
