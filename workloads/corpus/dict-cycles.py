# Cycles of dicts: 100,000 times `d = {}; d[0] = d`.  The name keeps each
# cycle alive until the next is bound.
#-- measure
gc.collect()
for i in range(100000):
    d = {}
    d[0] = d
_ck.append(gc.get_count())
del d
