# Cycles of instances: 100,000 times `a = C(); a.obj = a`.  3.8-3.10: the
# attribute set makes the instance's __dict__ (a second object in the cycle);
# 3.11+: the value is stored inline and no dict object exists.
class C:
    pass
#-- measure
gc.collect()
for i in range(100000):
    a = C()
    a.obj = a
_ck.append(gc.get_count())
del a
