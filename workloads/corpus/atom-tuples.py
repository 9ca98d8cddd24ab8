# Tuples of atoms: 100,000 times `keep.append((i, i))`, i an int above 256
# (an atom: allocated, never tracked).  The tuples are tracked when made and
# untracked by the first collection that sees them, so the heap the
# collections examine stays small while the live heap grows.
#-- measure
gc.collect()
keep = []
for i in range(1000, 101000):
    keep.append((i, i))
_ck.append(gc.get_count())
del keep
