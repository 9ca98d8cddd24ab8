# A growing live heap of instances: 100,000 times `o = C(); o.up = keep;
# keep.append(o)`.  3.8-3.10: each instance has its __dict__ (tracked: it
# holds a list), two live containers each; 3.11+: one, values inline.
class C:
    pass
#-- measure
gc.collect()
keep = []
for i in range(100000):
    o = C()
    o.up = keep
    keep.append(o)
_ck.append(gc.get_count())
del keep, o
