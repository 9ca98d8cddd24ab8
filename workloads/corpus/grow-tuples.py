# A growing live heap of tuples: 100,000 times `keep.append((keep,))`.
# Each 1-tuple holds a list, so collections cannot untrack it; the tuple
# free list of length 1 runs dry after its first 2000.
#-- measure
gc.collect()
keep = []
for i in range(100000):
    keep.append((keep,))
_ck.append(gc.get_count())
del keep
