# Cycles of lists: 100,000 times `l = []; l.append(l)`.  The name keeps
# each cycle alive until the next is bound.
#-- measure
gc.collect()
for i in range(100000):
    l = []
    l.append(l)
_ck.append(gc.get_count())
del l
