# Cycles through a tuple: 100,000 times `l = []; t = (l,); l.append(t)`.
# A tuple alone cannot be in a cycle (it is immutable once made): the list
# closes it.  Binding l releases the previous list (still held by the old
# t); binding t then drops the previous cycle.
#-- measure
gc.collect()
for i in range(100000):
    l = []
    t = (l,)
    l.append(t)
_ck.append(gc.get_count())
del l, t
