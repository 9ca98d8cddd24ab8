# Dicts of atoms: 100,000 times `d = {}; d[0] = i; keep.append(d)`, i an int
# above 256.  A dict counts as a container allocation but is never tracked
# while it holds only atoms: the collections find almost nothing to examine.
#-- measure
gc.collect()
keep = []
for i in range(1000, 101000):
    d = {}
    d[0] = i
    keep.append(d)
_ck.append(gc.get_count())
del keep, d
