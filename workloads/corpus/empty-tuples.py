# The empty tuple: `()` is a static singleton, untracked, allocated never.
# 100,000 times: a list cycle holding (), and a 1-tuple of () kept alive
# (tracked when made: a collection untracks it, its only item untracked).
#-- measure
gc.collect()
keep = []
for i in range(100000):
    e = ()
    l = [e]
    l.append(l)
    keep.append((e,))
_ck.append(gc.get_count())
del keep, e, l
