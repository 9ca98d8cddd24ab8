# Cycles holding a finalizer: 100,000 times `a = F(); a.obj = a`, F with a
# __del__ (PEP 442: it runs once, then the cycle is collected).
class F:
    def __del__(self):
        pass
#-- measure
gc.collect()
for i in range(100000):
    a = F()
    a.obj = a
_ck.append(gc.get_count())
del a
